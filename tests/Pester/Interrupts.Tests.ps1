BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# The PIC/IOAPIC irqchip, KVM_INTERRUPT and the TSC exist only in x86 KVM; these tests need /dev/kvm on an x86_64 host.

BeforeAll {
    # A VM with the in-kernel irqchip.
    function New-IrqchipVm { $vm = New-KvmVm; $vm | New-KvmIrqchip; $vm }

    # A real-mode vCPU of $Vm starting at 0x1000, with 64 KiB of RAM from 0 (IVT, code, stack) holding $Code at 0x1000.
    function New-RealModeVcpu([KvmPS.Kvm.KvmVm] $Vm, [byte[]] $Code) {
        $null = $Vm | New-KvmMemoryRegion -GuestAddress 0 -Size 64KB
        Write-KvmGuestMemory -Vm $Vm -GuestAddress 0x1000 -Bytes $Code
        $vcpu = $Vm | New-KvmVcpu
        Set-KvmRegister -Vcpu $vcpu -Values @{ 'cs.base' = 0; 'cs.selector' = 0; 'ss.base' = 0; 'ss.selector' = 0; rip = 0x1000; rflags = 2; rsp = 0 }
        $vcpu
    }

    # The ErrorRecord that $Call writes (non-terminating).
    function Get-CallError([scriptblock] $Call) {
        $ErrorActionPreference = 'Continue'   # build.ps1 runs the suite with 'Stop', which would make the error terminating
        @(& $Call 2>&1) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Select-Object -First 1
    }
}

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

# One outer block, so that every test's VMs are removed after it (Pester has no per-test teardown at the root).
Describe 'Interrupt delivery and VM time' {
    AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

    Describe 'New-KvmIrqchip' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'creates the irqchip once, before the vCPUs' {
                $vm = New-KvmVm
                $vm | New-KvmIrqchip -PassThru | Should -Be $vm
                $vm.HasIrqchip | Should -BeTrue
                $failed = Get-CallError { $vm | New-KvmIrqchip }
                $failed.FullyQualifiedErrorId | Should -BeLike 'IrqchipExists*'
            }

            It 'refuses an irqchip after vCPUs, with what to do' {
                $vm = New-KvmVm
                $null = $vm | New-KvmVcpu
                $failed = Get-CallError { $vm | New-KvmIrqchip }
                $failed.FullyQualifiedErrorId | Should -BeLike 'IrqchipAfterVcpus*'
                $failed.ErrorDetails.RecommendedAction | Should -Match 'New-KvmIrqchip'
            }

            It 'changes nothing with -WhatIf' {
                $vm = New-KvmVm
                $vm | New-KvmIrqchip -WhatIf
                $vm.HasIrqchip | Should -BeFalse
            }
        }
    }

    Describe 'Set-KvmIrqLine' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'raises and lowers a GSI and reports the status where the host can' {
                $vm = New-IrqchipVm
                $raised = $vm | Set-KvmIrqLine -Gsi 4 -Level $true
                $raised.Gsi | Should -Be 4
                $raised.Level | Should -BeTrue
                if ((Get-KvmCapability -Name KVM_CAP_IRQ_INJECT_STATUS).Value -gt 0) { $raised.Status | Should -Not -BeNullOrEmpty }
                ($vm | Set-KvmIrqLine -Gsi 4 -Level $false).Level | Should -BeFalse
            }

            It 'says to create an irqchip first' {
                $vm = New-KvmVm
                $failed = Get-CallError { $vm | Set-KvmIrqLine -Gsi 4 -Level $true }
                $failed.FullyQualifiedErrorId | Should -BeLike 'NoIrqchip*'
            }
        }
    }

    Describe 'Get-KvmIrqchip' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            BeforeEach {
                $vm = New-IrqchipVm
            }
            It 'reads the two PICs and the IOAPIC' {
                $chips = @(Get-KvmIrqchip $vm)
                $chips.Chip | Should -Be @('PicMaster', 'PicSlave', 'Ioapic')
                $chips[2].Ioapic.BaseAddress | Should -Be 0xfec00000L
                $chips[2].Ioapic.RedirectionTable.Count | Should -Be 24
                $chips[0].Raw.Count | Should -Be 512
            }
        }
    }

    Describe 'Set-KvmIrqchip' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            BeforeEach {
                $vm = New-IrqchipVm
            }
            It 'writes back a changed PIC' {
                $pic = Get-KvmIrqchip $vm -Chip PicMaster
                $pic.Pic.Imr = 0x5a
                $pic | Set-KvmIrqchip -Vm $vm -PassThru | Should -Be $vm
                (Get-KvmIrqchip $vm -Chip PicMaster).Pic.Imr | Should -Be 0x5a
            }

            It 'writes nothing with -WhatIf' {
                $pic = Get-KvmIrqchip $vm -Chip PicMaster
                $pic.Pic.Imr = 0x5a
                $pic | Set-KvmIrqchip -Vm $vm -WhatIf
                (Get-KvmIrqchip $vm -Chip PicMaster).Pic.Imr | Should -Not -Be 0x5a
            }
        }
    }

    Describe 'Invoke-KvmInterrupt' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'wakes a guest that halted with interrupts enabled, through its vector' {
                $vm = New-KvmVm
                # sti / l: hlt / jmp l ; handler at 0x1004 (IVT entry 0x30): mov al,0x42 / out 0xe0,al / hlt
                $vcpu = New-RealModeVcpu $vm ([byte[]](0xfb, 0xf4, 0xeb, 0xfd, 0xb0, 0x42, 0xe6, 0xe0, 0xf4))
                Write-KvmGuestMemory -Vm $vm -GuestAddress (0x30 * 4) -Bytes ([byte[]](0x04, 0x10, 0, 0))
                (Invoke-KvmVcpu $vcpu -TimeoutSeconds 10).KernelName | Should -Be 'KVM_EXIT_HLT'
                $vcpu | Invoke-KvmInterrupt -Vector 0x30 -PassThru | Should -Be $vcpu
                $exit = Invoke-KvmVcpu $vcpu -TimeoutSeconds 10
                $exit.Port | Should -Be 0xe0
                $exit.Data[0] | Should -Be 0x42
            }

            It 'says to use Set-KvmIrqLine with an in-kernel irqchip' {
                $vm = New-IrqchipVm
                $vcpu = $vm | New-KvmVcpu
                $failed = Get-CallError { $vcpu | Invoke-KvmInterrupt -Vector 0x30 }
                $failed.FullyQualifiedErrorId | Should -BeLike 'IrqchipInKernel*'
                $failed.ErrorDetails.RecommendedAction | Should -Match 'Set-KvmIrqLine'
            }
        }
    }

    Describe 'Invoke-KvmNmi' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'queues an NMI on a vCPU' {
                $vcpu = New-KvmVm | New-KvmVcpu
                $vcpu | Invoke-KvmNmi -PassThru | Should -Be $vcpu
            }

            It 'queues nothing with -WhatIf' {
                $vcpu = New-KvmVm | New-KvmVcpu
                $vcpu | Invoke-KvmNmi -WhatIf | Should -BeNullOrEmpty
            }
        }
    }

    Describe 'Send-KvmMsi' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'signals an MSI and reports what the kernel answered' {
                $vm = New-IrqchipVm
                $null = $vm | New-KvmVcpu
                $result = Send-KvmMsi -Vm $vm -Address 0xfee00000 -Data 0x31
                $result.Address | Should -Be 0xfee00000L
                $result.Status | Should -BeGreaterOrEqual 0
            }

            It 'needs an in-kernel irqchip' {
                $vm = New-KvmVm
                $failed = Get-CallError { Send-KvmMsi -Vm $vm -Address 0xfee00000 -Data 0x31 }
                $failed.FullyQualifiedErrorId | Should -BeLike 'NoIrqchip*'
            }
        }
    }

    Describe 'Get-KvmClock' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'reads the kvmclock in nanoseconds' {
                $vm = New-KvmVm
                $clock = Get-KvmClock $vm
                $clock.VmId | Should -Be $vm.Id
                $clock.Clock | Should -BeOfType [uint64]
            }
        }
    }

    Describe 'Set-KvmClock' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'sets the kvmclock, which keeps running from there' {
                $vm = New-KvmVm
                Set-KvmClock -Vm $vm -Clock 1000000000000 -PassThru | Should -Be $vm
                (Get-KvmClock $vm).Clock | Should -BeGreaterOrEqual 1000000000000
                (Get-KvmClock $vm).Clock | Should -BeLessThan 1060000000000
            }
        }
    }

    Describe 'Get-KvmTscKhz' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'reads the guest TSC frequency' {
                $vcpu = New-KvmVm | New-KvmVcpu
                Get-KvmTscKhz $vcpu | Should -BeGreaterThan 0
            }
        }
    }

    Describe 'Set-KvmTscKhz' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'sets the frequency where the host scales the TSC, and says so where it cannot' {
                $vcpu = New-KvmVm | New-KvmVcpu
                $khz = Get-KvmTscKhz $vcpu
                if ((Get-KvmCapability -Name KVM_CAP_TSC_CONTROL).Value -gt 0) {
                    Set-KvmTscKhz -Vcpu $vcpu -Khz $khz -PassThru | Should -Be $vcpu
                    Get-KvmTscKhz $vcpu | Should -Be $khz
                }
                else {
                    $failed = Get-CallError { Set-KvmTscKhz -Vcpu $vcpu -Khz $khz }
                    $failed.FullyQualifiedErrorId | Should -BeLike 'KVM_CAP_TSC_CONTROL.NotSupported*'
                }
            }
        }
    }

    Describe 'New-KvmIoeventfd' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'fires only on the matching write, which does not exit to userspace' {
                $vm = New-KvmVm
                # mov dx,0x600 / mov al,0x11 / out dx,al / mov al,0x22 / out dx,al / mov dx,0xf4 / out dx,al / hlt
                $vcpu = New-RealModeVcpu $vm ([byte[]](0xba, 0x00, 0x06, 0xb0, 0x11, 0xee, 0xb0, 0x22, 0xee, 0xba, 0xf4, 0x00, 0xee, 0xf4))
                $doorbell = New-KvmIoeventfd -Vm $vm -Address 0x600 -Length 1 -Pio -DataMatch 0x22
                $doorbell.DataMatch | Should -Be 0x22
                (Invoke-KvmVcpu $vcpu -TimeoutSeconds 10).Port | Should -Be 0x600
                (Invoke-KvmVcpu $vcpu -TimeoutSeconds 10).Port | Should -Be 0xf4
                $doorbell.Count | Should -Be 1
            }

            It 'refuses a write width that does not exist' {
                $vm = New-KvmVm
                $failed = Get-CallError { New-KvmIoeventfd -Vm $vm -Address 0x600 -Length 3 -Pio }
                $failed.FullyQualifiedErrorId | Should -BeLike 'InvalidIoeventfdLength*'
            }
        }
    }

    Describe 'Remove-KvmIoeventfd' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'removes it once' {
                $doorbell = New-KvmVm | New-KvmIoeventfd -Address 0xd0000000 -Length 4
                $doorbell | Remove-KvmIoeventfd -WhatIf
                $doorbell.IsRemoved | Should -BeFalse
                $doorbell | Remove-KvmIoeventfd -Force
                $doorbell.IsRemoved | Should -BeTrue
                $failed = Get-CallError { $doorbell | Remove-KvmIoeventfd -Force }
                $failed.FullyQualifiedErrorId | Should -BeLike 'IoeventfdRemoved*'
            }
        }
    }

    Describe 'New-KvmIrqfd' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'attaches an irqfd to a GSI, closed with the VM' {
                $vm = New-IrqchipVm
                $irqfd = New-KvmIrqfd -Vm $vm -Gsi 5
                $irqfd.Gsi | Should -Be 5
                $irqfd.Resample | Should -BeFalse
                $vm | Remove-KvmVm -Confirm:$false
                $irqfd.IsRemoved | Should -BeTrue
            }

            It 'needs an in-kernel irqchip' {
                $vm = New-KvmVm
                $failed = Get-CallError { New-KvmIrqfd -Vm $vm -Gsi 5 }
                $failed.FullyQualifiedErrorId | Should -BeLike 'NoIrqchip*'
            }
        }
    }

    Describe 'Send-KvmIrqfd' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'signals the irqfd' {
                $vm = New-IrqchipVm
                $irqfd = New-KvmIrqfd -Vm $vm -Gsi 10 -Resample
                $irqfd | Send-KvmIrqfd -PassThru | Should -Be $irqfd
                $irqfd.ResampleCount | Should -Be 0
            }
        }
    }

    Describe 'Remove-KvmIrqfd' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'detaches it, after which it cannot be signalled' {
                $vm = New-IrqchipVm
                $irqfd = New-KvmIrqfd -Vm $vm -Gsi 5
                $irqfd | Remove-KvmIrqfd -Force
                $irqfd.IsRemoved | Should -BeTrue
                $failed = Get-CallError { $irqfd | Send-KvmIrqfd }
                $failed.FullyQualifiedErrorId | Should -BeLike 'IrqfdRemoved*'
            }
        }
    }

    Describe 'Set-KvmGsiRouting' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            BeforeEach {
                $vm = New-IrqchipVm
            }
            It 'takes rows as hashtables, an irqchip pin and an MSI' {
                $routes = [KvmPS.Kvm.GsiRoute]::X86Defaults() + @(
                    @{ Gsi = 30; Type = 'Irqchip'; Irqchip = 0; Pin = 5 }
                    @{ Gsi = 31; Type = 'Msi'; Address = 0xfee00000; Data = 0x31 })
                Set-KvmGsiRouting -Vm $vm -Route $routes -PassThru | Should -Be $vm
                ($vm | Set-KvmIrqLine -Gsi 30 -Level $true).Gsi | Should -Be 30
            }

            It 'restores the defaults' {
                Set-KvmGsiRouting -Vm $vm -X86Defaults -PassThru | Should -Be $vm
            }

            It 'refuses a pin the irqchip lacks, before the ioctl' {
                $failed = Get-CallError { Set-KvmGsiRouting -Vm $vm -Route @{ Gsi = 1; Irqchip = 0; Pin = 9 } }
                $failed.FullyQualifiedErrorId | Should -BeLike 'InvalidIrqchipPin*'
                $failed.ErrorDetails.RecommendedAction | Should -Match 'Pin 0-7'
            }
        }
    }
}
