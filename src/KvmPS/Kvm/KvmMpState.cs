namespace KvmPS.Kvm;

/// <summary>KVM_MP_STATE_* of struct kvm_mp_state (api.txt 4.38); not every state is valid on every architecture.</summary>
public enum KvmMpState : uint
{
    Runnable = 0,
    Uninitialized = 1,
    InitReceived = 2,
    Halted = 3,
    SipiReceived = 4,
    Stopped = 5,
    CheckStop = 6,
    Operating = 7,
    Load = 8,
    ApResetHold = 9,
    Suspended = 10,
}
