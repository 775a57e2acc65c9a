BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

BeforeDiscovery {
    # The guest below is x86 real-mode code; the tests need /dev/kvm on x86_64 with KVM_CAP_COALESCED_MMIO.
    $CanRun = $HasKvm -and $IsX64 -and (Test-KvmCapability -Name CoalescedMmio)
}

BeforeAll {
    # A vCPU at 0x1000 of a VM with 64 KiB of RAM from 0 running: mov bx,0x1000 ; mov ds,bx ; mov byte [0],0x42 ;
    # mov word [2],0x1234 ; mov byte [0x100],0x77 ; hlt  (writes to 0x10000, 0x10002 and 0x10100).
    function New-WriterVcpu {
        $vm = New-KvmVm
        $null = $vm | New-KvmMemoryRegion -GuestAddress 0 -Size 64KB
        Write-KvmGuestMemory -Vm $vm -GuestAddress 0x1000 -Bytes ([byte[]](0xBB, 0x00, 0x10, 0x8E, 0xDB, 0xC6, 0x06, 0x00, 0x00, 0x42,
            0xC7, 0x06, 0x02, 0x00, 0x34, 0x12, 0xC6, 0x06, 0x00, 0x01, 0x77, 0xF4))
        $vcpu = $vm | New-KvmVcpu
        Set-KvmRegister -Vcpu $vcpu -Values @{ 'cs.base' = 0; 'cs.selector' = 0; 'ss.base' = 0; 'ss.selector' = 0; rip = 0x1000; rflags = 2; rsp = 0 }
        $vcpu
    }

    function Get-CallError([scriptblock] $Call) {
        $ErrorActionPreference = 'Continue'
        @(& $Call 2>&1) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Select-Object -First 1
    }
}

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

Describe 'Coalesced MMIO' {
    AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

    Describe 'Register-KvmCoalescedMmio' {
        Context 'on an x86_64 host with KVM_CAP_COALESCED_MMIO' -Skip:(-not $CanRun) {
            It 'returns the zone, and writes inside it no longer exit' {
                $vcpu = New-WriterVcpu
                $zone = Register-KvmCoalescedMmio -Vm $vcpu.Vm -GuestAddress 0x10000 -Size 0x100
                $zone.GetType().FullName | Should -Be 'KvmPS.Kvm.CoalescedMmioZone'
                $zone.GuestAddress | Should -Be 0x10000
                (Invoke-KvmVcpu $vcpu -TimeoutSeconds 10).Address | Should -Be 0x10100
            }

            It 'refuses an empty zone' {
                $failed = Get-CallError { Register-KvmCoalescedMmio -Vm (New-KvmVm) -GuestAddress 0x10000 -Size 0 }
                $failed.FullyQualifiedErrorId | Should -BeLike 'InvalidCoalescedZone*'
            }

            It 'registers nothing with -WhatIf' {
                $vcpu = New-WriterVcpu
                Register-KvmCoalescedMmio -Vm $vcpu.Vm -GuestAddress 0x10000 -Size 0x100 -WhatIf | Should -BeNullOrEmpty
                (Invoke-KvmVcpu $vcpu -TimeoutSeconds 10).Address | Should -Be 0x10000
            }
        }
    }

    Describe 'Read-KvmCoalescedMmio' {
        Context 'on an x86_64 host with KVM_CAP_COALESCED_MMIO' -Skip:(-not $CanRun) {
            It 'returns the recorded writes in order, once' {
                $vcpu = New-WriterVcpu
                $null = Register-KvmCoalescedMmio -Vm $vcpu.Vm -GuestAddress 0x10000 -Size 0x100
                $null = Invoke-KvmVcpu $vcpu -TimeoutSeconds 10
                $entries = @(Read-KvmCoalescedMmio $vcpu.Vm)
                $entries.PhysicalAddress | Should -Be @(0x10000, 0x10002)
                $entries[1].Data | Should -Be @(0x34, 0x12)
                @(Read-KvmCoalescedMmio $vcpu.Vm).Count | Should -Be 0
            }

            It 'says a vCPU is needed' {
                $failed = Get-CallError { Read-KvmCoalescedMmio (New-KvmVm) }
                $failed.FullyQualifiedErrorId | Should -BeLike 'CoalescedMmioNeedsVcpu*'
                $failed.ErrorDetails.RecommendedAction | Should -Match 'New-KvmVcpu'
            }
        }
    }

    Describe 'Unregister-KvmCoalescedMmio' {
        Context 'on an x86_64 host with KVM_CAP_COALESCED_MMIO' -Skip:(-not $CanRun) {
            It 'takes the zone from the pipeline, and the writes exit again' {
                $vcpu = New-WriterVcpu
                Register-KvmCoalescedMmio -Vm $vcpu.Vm -GuestAddress 0x10000 -Size 0x1000 | Unregister-KvmCoalescedMmio -Force
                (Invoke-KvmVcpu $vcpu -TimeoutSeconds 10).Address | Should -Be 0x10000
            }
        }
    }
}
