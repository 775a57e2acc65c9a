BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function Get-CallError([scriptblock] $Call) {
        $ErrorActionPreference = 'Continue'   # the suite runs with 'Stop', which would make the error terminating
        @(& $Call 2>&1) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Select-Object -First 1
    }

    # A real-mode vCPU at 0x1000 over 64 KiB of RAM from 0.
    function New-RealModeGuest([byte[]] $Code) {
        $vm = New-KvmVm
        $null = New-KvmMemoryRegion -Vm $vm -GuestAddress 0 -Size 0x10000
        Write-KvmGuestMemory -Vm $vm 0x1000 $Code
        $vcpu = New-KvmVcpu -Vm $vm
        Set-KvmRegister -Vcpu $vcpu -Values @{ 'cs.selector' = 0; 'cs.base' = 0; rip = 0x1000; rflags = 2 }
        $vcpu
    }

    # nop / nop / inc ax / out 0xe0,al / hlt
    $script:Steps = [byte[]](0x90, 0x90, 0x40, 0xe6, 0xe0, 0xf4)
}

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

Describe 'vCPU debugging and control' {
    AfterEach {
        Get-KvmVm | Remove-KvmVm -Confirm:$false
    }

    Describe 'Get-KvmTranslation' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'translates each address, identically with paging off' {
                $vcpu = New-RealModeGuest $Steps
                $t = @(Get-KvmTranslation -Vcpu $vcpu -Address 0x1234, 0x8000)
                $t.Count | Should -Be 2
                $t[0].GetType().FullName | Should -Be 'KvmPS.Kvm.GuestAddressTranslation'
                $t[0].PhysicalAddress | Should -Be 0x1234
                $t[1].Valid | Should -BeTrue
            }
        }
    }

    Describe 'Set-KvmGuestDebug' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'single-steps: each run ends with KVM_EXIT_DEBUG at the next instruction' {
                $vcpu = New-RealModeGuest $Steps
                Set-KvmGuestDebug -Vcpu $vcpu -SingleStep -PassThru | Should -Be $vcpu
                $exits = 1..3 | ForEach-Object { Invoke-KvmVcpu -Vcpu $vcpu -TimeoutSeconds 5 }
                $exits.KernelName | Should -Be @('KVM_EXIT_DEBUG', 'KVM_EXIT_DEBUG', 'KVM_EXIT_DEBUG')
                $exits.Pc | Should -Be @(0x1001, 0x1002, 0x1003)
            }

            It 'stops at a hardware breakpoint, and -Disable lets the guest run on' {
                $vcpu = New-RealModeGuest $Steps
                Set-KvmGuestDebug -Vcpu $vcpu -HardwareBreakpoint 0x1003
                $hit = Invoke-KvmVcpu -Vcpu $vcpu -TimeoutSeconds 5
                $hit.KernelName | Should -Be 'KVM_EXIT_DEBUG'
                $hit.Pc | Should -Be 0x1003
                Set-KvmGuestDebug -Vcpu $vcpu -Disable
                (Invoke-KvmVcpu -Vcpu $vcpu -TimeoutSeconds 5).Port | Should -Be 0xe0
            }

            It 'refuses a fifth hardware breakpoint' {
                $vcpu = New-RealModeGuest $Steps
                $failed = Get-CallError { Set-KvmGuestDebug -Vcpu $vcpu -HardwareBreakpoint 1, 2, 3, 4, 5 }
                $failed.FullyQualifiedErrorId | Should -BeLike 'TooManyHardwareBreakpoints*'
            }

            It 'changes nothing with -WhatIf' {
                $vcpu = New-RealModeGuest $Steps
                Set-KvmGuestDebug -Vcpu $vcpu -SingleStep -WhatIf
                (Invoke-KvmVcpu -Vcpu $vcpu -TimeoutSeconds 5).KernelName | Should -Be 'KVM_EXIT_IO'
            }
        }
    }

    Describe 'Send-KvmClockPause' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'says the guest has no kvmclock, and tells one that has' {
                $vcpu = New-RealModeGuest ([byte[]](0xf4))
                if ((Get-KvmCapability -Name KVM_CAP_KVMCLOCK_CTRL).Value -gt 0) {
                    $failed = Get-CallError { Send-KvmClockPause -Vcpu $vcpu }
                    $failed.FullyQualifiedErrorId | Should -BeLike 'KVM_KVMCLOCK_CTRL.EINVAL*'
                    $failed.ErrorDetails.RecommendedAction | Should -Match 'Set-KvmMsr'
                    Set-KvmMsr -Vcpu $vcpu -Index 0x4b564d01 -Value 0x8001
                    Send-KvmClockPause -Vcpu $vcpu -PassThru | Should -Be $vcpu
                }
                else {
                    $failed = Get-CallError { Send-KvmClockPause -Vcpu $vcpu }
                    $failed.FullyQualifiedErrorId | Should -BeLike 'KVM_CAP_KVMCLOCK_CTRL.NotSupported*'
                }
            }
        }
    }

    Describe 'Set-KvmSignalMask' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'sets and clears a mask, and a run can still be timed out' {
                $vcpu = New-RealModeGuest ([byte[]](0xeb, 0xfe))
                Set-KvmSignalMask -Vcpu $vcpu -Signal 10, 12 -PassThru | Should -Be $vcpu
                (Invoke-KvmVcpu -Vcpu $vcpu -TimeoutSeconds 0.3).Interrupted | Should -BeTrue
                Set-KvmSignalMask -Vcpu $vcpu -Clear
            }

            It 'refuses to block the kick signal' {
                $vcpu = New-RealModeGuest ([byte[]](0xf4))
                $failed = Get-CallError { Set-KvmSignalMask -Vcpu $vcpu -Signal 28 }
                $failed.FullyQualifiedErrorId | Should -BeLike 'KickSignalBlocked*'
                $failed.ErrorDetails.RecommendedAction | Should -Match 'Stop-KvmVm'
            }
        }
    }

    Describe 'Get-KvmMceCapability' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'returns the feature bits without a bank count, or says the host has no MCE' {
                if ((Get-KvmCapability -Name KVM_CAP_MCE).Value -gt 0) {
                    $supported = Get-KvmMceCapability
                    $supported | Should -BeOfType [uint64]
                    $supported -band 0xff | Should -Be 0
                }
                else {
                    (Get-CallError { Get-KvmMceCapability }).FullyQualifiedErrorId | Should -BeLike 'KVM_CAP_MCE.NotSupported*'
                }
            }
        }
    }

    Describe 'Initialize-KvmMce' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'sets up banks the guest sees in IA32_MCG_CAP' {
                $vcpu = New-RealModeGuest ([byte[]](0xf4))
                if ((Get-KvmCapability -Name KVM_CAP_MCE).Value -gt 0) {
                    $supported = Get-KvmMceCapability
                    Initialize-KvmMce -Vcpu $vcpu -Banks 6 -PassThru | Should -Be $vcpu
                    (Get-KvmMsr -Vcpu $vcpu -Index 0x179).Value | Should -Be ($supported -bor 6)
                }
                else {
                    (Get-CallError { Initialize-KvmMce -Vcpu $vcpu -Banks 6 }).FullyQualifiedErrorId | Should -BeLike 'KVM_CAP_MCE.NotSupported*'
                }
            }

            It 'refuses a bank count outside 1-32' {
                $vcpu = New-RealModeGuest ([byte[]](0xf4))
                (Get-CallError { Initialize-KvmMce -Vcpu $vcpu -Banks 33 -Capabilities 0 }).FullyQualifiedErrorId | Should -BeLike 'InvalidMceBankCount*'
            }
        }
    }

    Describe 'Send-KvmMce' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'records a corrected event in its bank, and names Initialize-KvmMce for a bank that does not exist' {
                $vcpu = New-RealModeGuest ([byte[]](0xf4))
                if ((Get-KvmCapability -Name KVM_CAP_MCE).Value -gt 0) {
                    Initialize-KvmMce -Vcpu $vcpu -Banks 6 -Capabilities 0
                    Send-KvmMce -Vcpu $vcpu -Bank 1 -Status 0x8000000000000017 -Address 0x2000
                    (Get-KvmMsr -Vcpu $vcpu -Index 0x405).Value | Should -Be 0x8000000000000017u
                    (Get-KvmMsr -Vcpu $vcpu -Index 0x406).Value | Should -Be 0x2000
                    $failed = Get-CallError { Send-KvmMce -Vcpu $vcpu -Bank 6 -Status 0x8000000000000001 }
                    $failed.FullyQualifiedErrorId | Should -BeLike 'KVM_X86_SET_MCE.EINVAL*'
                    $failed.ErrorDetails.RecommendedAction | Should -Match 'Initialize-KvmMce'
                }
                else {
                    (Get-CallError { Send-KvmMce -Vcpu $vcpu -Bank 0 -Status 0x8000000000000001 }).FullyQualifiedErrorId | Should -BeLike 'KVM_CAP_MCE.NotSupported*'
                }
            }

            It 'refuses a status without VAL' {
                $vcpu = New-RealModeGuest ([byte[]](0xf4))
                (Get-CallError { Send-KvmMce -Vcpu $vcpu -Bank 0 -Status 0x17 }).FullyQualifiedErrorId | Should -BeLike 'MceStatusNotValid*'
            }
        }
    }

    Describe 'Invoke-KvmVcpu -SyncRegisters' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'makes Get-KvmRegister read the exit''s registers from kvm_run, equal to the ioctls' {
                $vcpu = New-RealModeGuest $Steps
                if ((Get-KvmCapability -Name KVM_CAP_SYNC_REGS).Value -gt 0) {
                    (Invoke-KvmVcpu -Vcpu $vcpu -SyncRegisters -TimeoutSeconds 5).Port | Should -Be 0xe0
                    $vcpu.SyncRegisters | Should -BeTrue
                    $vcpu.RegistersFromRun | Should -BeTrue
                    $fromRun = Get-KvmRegister -Vcpu $vcpu -Name rip, rax, cr0
                    ($fromRun | Where-Object Name -eq rip).Value | Should -Be 0x1005
                    $vcpu.SyncRegisters = $false
                    (Get-KvmRegister -Vcpu $vcpu -Name rip, rax, cr0).Value | Should -Be $fromRun.Value
                }
                else {
                    $failed = Get-CallError { Invoke-KvmVcpu -Vcpu $vcpu -SyncRegisters }
                    $failed.FullyQualifiedErrorId | Should -BeLike 'KVM_CAP_SYNC_REGS.NotSupported*'
                }
            }
        }
    }

    Describe 'Set-KvmCpuid -Legacy' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'sets index-0 leaves through KVM_SET_CPUID and Get-KvmCpuid reads them back' {
                $vcpu = New-RealModeGuest ([byte[]](0xf4))
                $leaf0 = Get-KvmSupportedCpuid -Function 0
                Get-KvmSupportedCpuid -Function 0, 1 | Set-KvmCpuid -Vcpu $vcpu -Legacy
                $back = Get-KvmCpuid -Vcpu $vcpu | Where-Object Function -eq 0
                $back.Ebx | Should -Be $leaf0.Ebx
            }

            It 'refuses an indexed entry' {
                $vcpu = New-RealModeGuest ([byte[]](0xf4))
                $failed = Get-CallError { Get-KvmSupportedCpuid -Function 0xd | Set-KvmCpuid -Vcpu $vcpu -Legacy }
                $failed.FullyQualifiedErrorId | Should -BeLike 'LegacyCpuidIndex*'
            }
        }
    }
}
