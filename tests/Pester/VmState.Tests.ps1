BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

BeforeDiscovery {
    # The PIT, the PIC/IOAPIC irqchip and the VM setup ioctls exist only in x86 KVM; these tests need /dev/kvm on x86_64.
    $HasPitState2 = $CanRunX86 -and (Test-KvmCapability -Name PitState2)
    $HasBootCpuId = $CanRunX86 -and (Test-KvmCapability -Name SetBootCpuId)
    $HasIdentityMap = $CanRunX86 -and (Test-KvmCapability -Name SetIdentityMapAddr)
}

BeforeAll {
    # A VM with the in-kernel irqchip and PIT.
    function New-PitVm { $vm = New-KvmVm; $vm | New-KvmIrqchip; $vm | New-KvmPit; $vm }

    # The ErrorRecord that $Call writes (non-terminating).
    function Get-CallError([scriptblock] $Call) {
        $ErrorActionPreference = 'Continue'
        @(& $Call 2>&1) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Select-Object -First 1
    }
}

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

Describe 'VM-wide state' {
    AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

    Describe 'Get-KvmPit' {
        Context 'on an x86_64 host with KVM_CAP_PIT_STATE2' -Skip:(-not $HasPitState2) {
            It 'reads the three channels' {
                $pit = Get-KvmPit (New-PitVm)
                $pit.GetType().FullName | Should -Be 'KvmPS.Kvm.X86.PitState'
                $pit.Channels.Channel | Should -Be @(0, 1, 2)
                $pit.Raw.Count | Should -Be 112
            }

            It 'says to create a PIT first' {
                $vm = New-KvmVm
                $vm | New-KvmIrqchip
                $failed = Get-CallError { Get-KvmPit $vm }
                $failed.FullyQualifiedErrorId | Should -BeLike 'NoPit*'
                $failed.ErrorDetails.RecommendedAction | Should -Match 'New-KvmPit'
            }
        }
    }

    Describe 'Set-KvmPit' {
        Context 'on an x86_64 host with KVM_CAP_PIT_STATE2' -Skip:(-not $HasPitState2) {
            BeforeEach { $vm = New-PitVm }

            It 'writes back a changed channel' {
                $pit = Get-KvmPit $vm
                $pit.Channels[0].Mode = 2
                $pit.Channels[0].Count = 11932
                $pit | Set-KvmPit -Vm $vm -PassThru | Should -Be $vm
                $back = (Get-KvmPit $vm).Channels[0]
                $back.Mode | Should -Be 2
                $back.Count | Should -Be 11932
            }

            It 'writes nothing with -WhatIf' {
                $pit = Get-KvmPit $vm
                $pit.Channels[0].Count = 11932
                $pit | Set-KvmPit -Vm $vm -WhatIf
                (Get-KvmPit $vm).Channels[0].Count | Should -Not -Be 11932
            }
        }
    }

    Describe 'Get-KvmVmState' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'leaves out what the VM does not have' {
                $state = Get-KvmVmState (New-KvmVm)
                $state.GetType().FullName | Should -Be 'KvmPS.Kvm.X86.VmState'
                $state.Irqchip | Should -BeNullOrEmpty
                $state.Pit | Should -BeNullOrEmpty
                $state.Format | Should -Be 'KvmPS.VmState/1'
            }
        }
    }

    Describe 'Set-KvmVmState' {
        Context 'on an x86_64 host with KVM_CAP_PIT_STATE2' -Skip:(-not $HasPitState2) {
            It 'copies the irqchip, PIT and clock to another VM' {
                $vm = New-PitVm
                $pic = Get-KvmIrqchip $vm -Chip PicMaster
                $pic.Pic.Imr = 0x5a
                $pic | Set-KvmIrqchip -Vm $vm
                Set-KvmClock -Vm $vm -Clock 7000000000
                $state = Get-KvmVmState $vm
                $state.Irqchip.Count | Should -Be 3
                $state.Pit | Should -Not -BeNullOrEmpty

                $other = New-PitVm
                $state | Set-KvmVmState -Vm $other -PassThru | Should -Be $other
                (Get-KvmIrqchip $other -Chip PicMaster).Pic.Imr | Should -Be 0x5a
                (Get-KvmClock $other).Clock | Should -BeGreaterOrEqual 7000000000
            }

            It 'refuses a VM without the saved PIT, with what to do' {
                $state = Get-KvmVmState (New-PitVm)
                $bare = New-KvmVm
                $bare | New-KvmIrqchip
                $failed = Get-CallError { $state | Set-KvmVmState -Vm $bare }
                $failed.FullyQualifiedErrorId | Should -BeLike 'VmStateNeedsPit*'
                $failed.ErrorDetails.RecommendedAction | Should -Match 'New-KvmPit'
            }
        }
    }

    Describe 'Export-KvmVmState' {
        Context 'on an x86_64 host with KVM_CAP_PIT_STATE2' -Skip:(-not $HasPitState2) {
            It 'writes nothing with -WhatIf' {
                $path = Join-Path $TestDrive 'none.json'
                Export-KvmVmState -Vm (New-PitVm) -Path $path -WhatIf
                Test-Path $path | Should -BeFalse
            }
        }
    }

    Describe 'Import-KvmVmState' {
        Context 'on an x86_64 host with KVM_CAP_PIT_STATE2' -Skip:(-not $HasPitState2) {
            It 'reads back the JSON Export-KvmVmState wrote that ConvertFrom-Json reads and restores it' {
                $vm = New-PitVm
                $pit = Get-KvmPit $vm
                $pit.Channels[0].Mode = 3
                $pit.Channels[0].Count = 0x4321
                $pit | Set-KvmPit -Vm $vm
                $path = Join-Path $TestDrive 'vm.json'
                $file = Export-KvmVmState -Vm $vm -Path $path
                $file.FullName | Should -Be $path
                $json = Get-Content $path -Raw | ConvertFrom-Json
                $json.Format | Should -Be 'KvmPS.VmState/1'
                $json.Irqchip.Chip | Should -Be @('PicMaster', 'PicSlave', 'Ioapic')
                $json.Pit.Channels[0].Mode | Should -Be 3
                $json.Clock.Clock | Should -BeGreaterThan 0

                $copy = New-PitVm
                Import-KvmVmState -Vm $copy -Path $path -PassThru | Should -Be $copy
                (Get-KvmPit $copy).Channels[0].Count | Should -Be 0x4321
            }

            It 'resumes a counting guest in a new VM with its VM and vCPU state' {
                # mov cx, 0 ; l: inc cx ; mov ax, cx ; mov dx, 0x3f8 ; out dx, ax ; cmp cx, 10 ; jne l ; hlt
                $code = [byte[]](0xB9, 0x00, 0x00, 0x41, 0x89, 0xC8, 0xBA, 0xF8, 0x03, 0xEF, 0x83, 0xF9, 0x0A, 0x75, 0xF4, 0xF4)
                $vm = New-PitVm
                New-KvmMemoryRegion -Vm $vm -GuestAddress 0 -Size 0x10000 | Out-Null
                Write-KvmGuestMemory -Vm $vm -GuestAddress 0x1000 -Bytes $code
                $vcpu = New-KvmVcpu -Vm $vm
                Set-KvmRegister -Vcpu $vcpu -Values @{ 'cs.base' = 0; 'cs.selector' = 0; 'ss.base' = 0; 'ss.selector' = 0; rip = 0x1000; rflags = 2; rsp = 0 }
                $seen = 1..3 | ForEach-Object { [BitConverter]::ToUInt16((Invoke-KvmVcpu -Vcpu $vcpu).Data, 0) }
                Export-KvmVcpuState -Vcpu $vcpu -Path (Join-Path $TestDrive 'vcpu.json') | Out-Null
                Export-KvmVmState -Vm $vm -Path (Join-Path $TestDrive 'vm.json') | Out-Null

                $copy = New-PitVm
                New-KvmMemoryRegion -Vm $copy -GuestAddress 0 -Size 0x10000 | Out-Null
                Write-KvmGuestMemory -Vm $copy -GuestAddress 0 -Bytes (Read-KvmGuestMemory -Vm $vm -GuestAddress 0 -Length 0x10000)
                $resumed = New-KvmVcpu -Vm $copy
                Import-KvmVmState -Vm $copy -Path (Join-Path $TestDrive 'vm.json')
                Import-KvmVcpuState -Vcpu $resumed -Path (Join-Path $TestDrive 'vcpu.json')
                $rest = 4..10 | ForEach-Object { [BitConverter]::ToUInt16((Invoke-KvmVcpu -Vcpu $resumed).Data, 0) }
                @($seen) + @($rest) | Should -Be (1..10)
            }

            It 'refuses a file that is not a VM state' {
                $path = Join-Path $TestDrive 'other.json'
                '{"Format":"KvmPS.VcpuState/1"}' | Set-Content $path
                $failed = Get-CallError { Import-KvmVmState -Vm (New-KvmVm) -Path $path }
                $failed.FullyQualifiedErrorId | Should -BeLike 'InvalidVmStateFile*'
                $failed.ErrorDetails.RecommendedAction | Should -Match 'Export-KvmVmState'
            }
        }
    }

    Describe 'New-KvmVm -BootCpuId' {
        Context 'on an x86_64 host with KVM_CAP_SET_BOOT_CPU_ID' -Skip:(-not $HasBootCpuId) {
            It 'makes that vCPU the bootstrap processor' {
                $vm = New-KvmVm -BootCpuId 1 -Smp 2
                $bsp = { param($v) (Get-KvmRegister -Vcpu $v -Name apic_base).Value -band 0x100 }
                & $bsp $vm.Vcpus[1] | Should -Be 0x100
                & $bsp $vm.Vcpus[0] | Should -Be 0
            }
        }
    }

    Describe 'New-KvmVm -IdentityMapAddress' {
        Context 'on an x86_64 host with KVM_CAP_SET_IDENTITY_MAP_ADDR' -Skip:(-not $HasIdentityMap) {
            It 'sets a free page below 4 GiB' {
                New-KvmVm -IdentityMapAddress 0xfeffc000 | Should -Not -BeNullOrEmpty
            }

            It 'refuses an unaligned address and removes the VM again' {
                $before = @(Get-KvmVm).Count
                { New-KvmVm -IdentityMapAddress 0xfeffc001 } | Should -Throw -ErrorId 'InvalidIdentityMapAddress*'
                @(Get-KvmVm).Count | Should -Be $before
            }
        }
    }

    Describe 'Set-KvmXenHvmConfig' {
        Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
            It 'sets the hypercall MSR where the host has KVM_CAP_XEN_HVM, and says it is not supported elsewhere' {
                $vm = New-KvmVm
                if (Test-KvmCapability -Name XenHvm) {
                    Set-KvmXenHvmConfig -Vm $vm -Msr 0x40000000 -PassThru | Should -Be $vm
                    return
                }
                $failed = Get-CallError { Set-KvmXenHvmConfig -Vm $vm -Msr 0x40000000 }
                $failed.FullyQualifiedErrorId | Should -BeLike 'KVM_CAP_XEN_HVM.NotSupported*'
                $failed.Exception.Message | Should -Match 'not support'
            }
        }
    }
}
