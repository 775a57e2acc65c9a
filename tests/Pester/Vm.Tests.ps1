BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

BeforeDiscovery {
    $NoKvmDevice = -not (Test-Path -LiteralPath '/dev/kvm')
    $HasS390Ucontrol = $HasKvm -and (Test-KvmCapability -Name S390Ucontrol)
}

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

Describe 'New-KvmVm' {
    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'creates a VM with no memory and no vCPUs' {
            $vm = New-KvmVm
            $vm.GetType().FullName | Should -Be 'KvmPS.Kvm.KvmVm'
            $vm.MachineType | Should -Be 0
            $vm.IsDisposed | Should -BeFalse
            $vm.MemoryRegions | Should -BeNullOrEmpty
            $vm.Vcpus | Should -BeNullOrEmpty
        }

        It 'gives each VM a new id' {
            $first = New-KvmVm
            $second = New-KvmVm
            $second.Id | Should -BeGreaterThan $first.Id
        }

        It 'creates the default VM with -MachineType 0' {
            $vm = New-KvmVm -MachineType 0
            $vm.MachineType | Should -Be 0
        }

        It 'keeps the VM in the session' {
            $vm = New-KvmVm
            (Get-KvmVm).Id | Should -Contain $vm.Id
        }
    }

    Context 'on a host with KVM but without user-controlled VMs' -Skip:(-not $HasKvm -or $HasS390Ucontrol) {
        It 'fails with the "not supported" error for -S390UserControlled' {
            $failure = { New-KvmVm -S390UserControlled -ErrorAction Stop } |
                Should -Throw -ErrorId 'KVM_CAP_S390_UCONTROL.NotSupported*' -PassThru
            $failure.Exception.Message | Should -BeLike '*does not support user-controlled VMs*'
            $failure.CategoryInfo.Category.ToString() | Should -Be 'NotImplemented'
            Get-KvmVm | Should -BeNullOrEmpty
        }
    }

    Context 'on a host without /dev/kvm' -Skip:(-not $NoKvmDevice) {
        It 'fails with KvmDeviceNotFound' {
            { New-KvmVm -ErrorAction Stop } | Should -Throw -ErrorId 'KvmDeviceNotFound*'
        }
    }
}

Describe 'Get-KvmVm' {
    It 'returns nothing when the session has no VM' {
        Get-KvmVm | Remove-KvmVm -Confirm:$false
        Get-KvmVm | Should -BeNullOrEmpty
    }

    It 'writes VmNotFound for an id the session does not have' {
        { Get-KvmVm -Id 999999 -ErrorAction Stop } | Should -Throw -ErrorId 'VmNotFound*'
    }

    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        BeforeEach {
            $vm1 = New-KvmVm
            $vm2 = New-KvmVm
        }

        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'lists the VMs in creation order' {
            (Get-KvmVm).Id | Should -Be @($vm1.Id, $vm2.Id)
        }

        It 'returns the same objects New-KvmVm returned' {
            [object]::ReferenceEquals((Get-KvmVm -Id $vm1.Id), $vm1) | Should -BeTrue
        }

        It 'gets VMs by id, positionally, in the order given' {
            (Get-KvmVm $vm2.Id, $vm1.Id).Id | Should -Be @($vm2.Id, $vm1.Id)
        }

        It 'returns the VMs it finds and an error for the id it does not' {
            $found = Get-KvmVm -Id $vm1.Id, 999999 -ErrorVariable failures -ErrorAction SilentlyContinue
            $found.Id | Should -Be $vm1.Id
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'VmNotFound*'
        }
    }
}

Describe 'Remove-KvmVm' {
    It 'writes VmNotFound for an id the session does not have' {
        { Remove-KvmVm -Id 999999 -Force -ErrorAction Stop } | Should -Throw -ErrorId 'VmNotFound*'
    }

    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'removes a VM given with -Vm and disposes it' {
            $vm = New-KvmVm
            Remove-KvmVm -Vm $vm -Force
            $vm.IsDisposed | Should -BeTrue
            @(Get-KvmVm | ForEach-Object Id) | Should -Not -Contain $vm.Id
        }

        It 'removes VMs piped to it' {
            $null = New-KvmVm
            $null = New-KvmVm
            Get-KvmVm | Remove-KvmVm -Force
            Get-KvmVm | Should -BeNullOrEmpty
        }

        It 'removes VMs by id' {
            $keep = New-KvmVm
            $drop = New-KvmVm
            Remove-KvmVm -Id $drop.Id -Force
            (Get-KvmVm).Id | Should -Be @($keep.Id)
            $drop.IsDisposed | Should -BeTrue
        }

        It 'releases the vCPUs and memory of the VM' {
            $vm = New-KvmVm
            $region = $vm | New-KvmMemoryRegion -GuestAddress 0 -Size ([System.Environment]::SystemPageSize)
            $vcpu = $vm | New-KvmVcpu
            Remove-KvmVm -Vm $vm -Force
            $region.IsRemoved | Should -BeTrue
            $vcpu.IsDisposed | Should -BeTrue
        }

        It 'changes nothing with -WhatIf' {
            $vm = New-KvmVm
            Remove-KvmVm -Vm $vm -WhatIf
            $vm.IsDisposed | Should -BeFalse
            (Get-KvmVm).Id | Should -Contain $vm.Id
            Get-KvmVm | Remove-KvmVm -WhatIf
            (Get-KvmVm).Id | Should -Contain $vm.Id
        }

        It 'does nothing for a VM that is already removed' {
            $vm = New-KvmVm
            Remove-KvmVm -Vm $vm -Force
            { Remove-KvmVm -Vm $vm -Force -ErrorAction Stop } | Should -Not -Throw
        }

        It 'makes later use of the removed VM fail with VmRemoved' {
            $vm = New-KvmVm
            Remove-KvmVm -Vm $vm -Force
            { New-KvmVcpu -Vm $vm -ErrorAction Stop } | Should -Throw -ErrorId 'VmRemoved*'
            { New-KvmMemoryRegion -Vm $vm -GuestAddress 0 -Size ([System.Environment]::SystemPageSize) -ErrorAction Stop } |
                Should -Throw -ErrorId 'VmRemoved*'
        }
    }
}

Describe 'New-KvmVcpu' {
    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        BeforeEach {
            $vm = New-KvmVm
        }

        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'creates vCPU 0, then 1, for a piped VM' {
            $first = $vm | New-KvmVcpu
            $second = $vm | New-KvmVcpu
            $first.GetType().FullName | Should -Be 'KvmPS.Kvm.KvmVcpu'
            $first.Id | Should -Be 0
            $second.Id | Should -Be 1
            $first.VmId | Should -Be $vm.Id
            $first.RunCount | Should -Be 0
            $first.LastExit | Should -BeNullOrEmpty
        }

        It 'creates a vCPU with a chosen id' {
            (New-KvmVcpu -Vm $vm -Id 5).Id | Should -Be 5
            (New-KvmVcpu -Vm $vm).Id | Should -Be 0
        }

        It 'gives each vCPU its own thread, not the pipeline thread' {
            $a = New-KvmVcpu -Vm $vm
            $b = New-KvmVcpu -Vm $vm
            $a.ThreadId | Should -Not -Be $b.ThreadId
            $a.ThreadId | Should -Not -Be ([System.Environment]::CurrentManagedThreadId)
        }

        It 'takes the VM from the Vm property of a piped memory region' {
            $vcpu = New-KvmVm | New-KvmMemoryRegion -GuestAddress 0 -Size ([System.Environment]::SystemPageSize) | New-KvmVcpu
            $vcpu.Id | Should -Be 0
            $vcpu.Vm.MemoryRegions.Count | Should -Be 1
        }

        It 'fails with VcpuIdInUse for an id the VM already has' {
            $null = New-KvmVcpu -Vm $vm -Id 2
            { New-KvmVcpu -Vm $vm -Id 2 -ErrorAction Stop } | Should -Throw -ErrorId 'VcpuIdInUse*'
        }

        It 'fails with InvalidVcpuId for an id out of range' {
            { New-KvmVcpu -Vm $vm -Id -1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidVcpuId*'
            { New-KvmVcpu -Vm $vm -Id ([int]::MaxValue) -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidVcpuId*'
        }

        It 'writes one error per failing VM and goes on with the next' {
            $other = New-KvmVm
            $null = New-KvmVcpu -Vm $vm -Id 0
            $created = $vm, $other | New-KvmVcpu -Id 0 -ErrorVariable failures -ErrorAction SilentlyContinue
            @($created).Count | Should -Be 1
            $created.VmId | Should -Be $other.Id
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'VcpuIdInUse*'
        }
    }
}

Describe 'Get-KvmVcpu' {
    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        BeforeEach {
            $vmA = New-KvmVm
            $vmB = New-KvmVm
            $a0 = New-KvmVcpu -Vm $vmA
            $a1 = New-KvmVcpu -Vm $vmA
            $b0 = New-KvmVcpu -Vm $vmB
        }

        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'lists the vCPUs of every VM when no VM is given' {
            $all = @(Get-KvmVcpu)
            $all.Count | Should -Be 3
            [object]::ReferenceEquals($all[0], $a0) | Should -BeTrue
        }

        It 'lists the vCPUs of a piped VM' {
            ($vmA | Get-KvmVcpu).Id | Should -Be @(0, 1)
            @($vmB | Get-KvmVcpu).Count | Should -Be 1
        }

        It 'filters by vCPU id' {
            $zeros = @(Get-KvmVcpu -Id 0)
            $zeros.Count | Should -Be 2
            $zeros.VmId | Should -Be @($vmA.Id, $vmB.Id)
            (Get-KvmVcpu -Vm $vmA -Id 1).Id | Should -Be 1
        }

        It 'returns nothing for the vCPUs of a removed VM' {
            Remove-KvmVm -Vm $vmA -Force
            Get-KvmVcpu -Vm $vmA | Should -BeNullOrEmpty
            $a1.IsDisposed | Should -BeTrue
        }
    }
}

Describe 'Enable-KvmCapability' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'enables a VM capability with its argument, and writes the VM with -PassThru' -Skip:(-not (Test-KvmCapability -Name HaltPoll)) {
            $vm = New-KvmVm
            $vm | Enable-KvmCapability HaltPoll 200000 | Should -BeNullOrEmpty
            ($vm | Enable-KvmCapability -Name KVM_CAP_HALT_POLL -Argument 100000 -PassThru).Id | Should -Be $vm.Id
        }

        It 'enables a vCPU capability' -Skip:(-not (Test-KvmCapability -Name EnforcePvFeatureCpuid)) {
            $vcpu = New-KvmVm | New-KvmVcpu
            $vcpu | Enable-KvmCapability EnforcePvFeatureCpuid 1 -PassThru | Should -Be $vcpu
        }

        It 'says where to look when KVM refuses, and knows no made-up capability' {
            $vcpu = New-KvmVm | New-KvmVcpu
            { $vcpu | Enable-KvmCapability HaltPoll 1 -ErrorAction Stop } | Should -Throw -ErrorId 'KVM_ENABLE_CAP.EINVAL,*'
            { New-KvmVm | Enable-KvmCapability NoSuchCapability -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownCapability,*'
            { New-KvmVm | Enable-KvmCapability HaltPoll 1, 2, 3, 4, 5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }

        It 'changes nothing with -WhatIf' {
            New-KvmVm | Enable-KvmCapability HaltPoll 1 -WhatIf | Should -BeNullOrEmpty
        }
    }
}
