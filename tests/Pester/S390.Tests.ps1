# s390 user-controlled VMs: per-vCPU address spaces and faults. Real-host scenarios run on s390x KVM with
# KVM_CAP_S390_UCONTROL (as root); on other hosts (x86_64 CI) the always-running contexts check the clear
# "not supported" errors.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Ucontrol = $HasKvm -and (Test-KvmCapability -Name S390Ucontrol)
    $script:S390Gmap = $HasKvm -and (Test-KvmCapability -Name S390Gmap)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'New-KvmVm -S390UserControlled' {
    Context 'on an s390x host with user-controlled VMs' -Skip:(-not $Ucontrol) {
        It 'creates a VM of machine type KVM_VM_S390_UCONTROL' {
            $vm = New-KvmVm -S390UserControlled
            try {
                $vm.MachineType | Should -Be 1
            }
            finally {
                Remove-KvmVm -Vm $vm -Confirm:$false
            }
        }
    }

    Context 'on a host without user-controlled VMs' -Skip:((-not $HasKvm) -or $Ucontrol) {
        It 'says user-controlled VMs are not supported on this host' {
            { New-KvmVm -S390UserControlled } | Should -Throw -ErrorId 'KVM_CAP_S390_UCONTROL.NotSupported*'
        }
    }
}

Describe 'Add-KvmS390Mapping' {
    Context 'on an s390x host with user-controlled VMs' -Skip:(-not $Ucontrol) {
        BeforeEach {
            $vm = New-KvmVm -S390UserControlled
            $vcpu = New-KvmVcpu -Vm $vm
        }
        AfterEach {
            Remove-KvmVm -Vm $vm -Confirm:$false
        }

        It 'maps a segment of memory KvmPS allocates' {
            $mapping = Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 1MB
            $mapping.OwnsMemory | Should -BeTrue
            $mapping.UserAddress % 1MB | Should -Be 0
            $mapping.Length | Should -Be 1MB
        }

        It 'refuses ranges that are not whole 1 MiB segments' {
            { Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0x1000 -Length 1MB -ErrorAction Stop } | Should -Throw -ErrorId 'S390MappingNotSegmentAligned*'
            { Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 0 -ErrorAction Stop } | Should -Throw -ErrorId 'S390MappingEmpty*'
        }

        It 'refuses a range overlapping an earlier mapping' {
            Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 2MB | Out-Null
            { Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 1MB -Length 1MB -ErrorAction Stop } | Should -Throw -ErrorId 'S390MappingOverlaps*'
        }
    }

    Context 'on a regular VM' -Skip:(-not $Ucontrol) {
        It 'says only user-controlled VMs map per vCPU' {
            $vm = New-KvmVm
            try {
                $vcpu = New-KvmVcpu -Vm $vm
                { Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 1MB -ErrorAction Stop } | Should -Throw -ErrorId 'S390VmNotUserControlled*'
            }
            finally {
                Remove-KvmVm -Vm $vm -Confirm:$false
            }
        }
    }

    Context 'on a host without user-controlled VMs' -Skip:((-not $HasKvm) -or $Ucontrol) {
        It 'says user-controlled address spaces are not supported on this host' {
            $vm = New-KvmVm
            try {
                $vcpu = New-KvmVcpu -Vm $vm
                { Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 1MB -ErrorAction Stop } | Should -Throw -ErrorId 'KVM_CAP_S390_UCONTROL.NotSupported*'
            }
            finally {
                Remove-KvmVm -Vm $vm -Confirm:$false
            }
        }
    }
}

Describe 'Get-KvmS390Mapping' {
    Context 'on an s390x host with user-controlled VMs' -Skip:(-not $Ucontrol) {
        It 'lists the mappings of the vCPU' {
            $vm = New-KvmVm -S390UserControlled
            try {
                $vcpu = New-KvmVcpu -Vm $vm
                Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 1MB | Out-Null
                Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 4MB -Length 2MB | Out-Null
                $mappings = @(Get-KvmS390Mapping -Vcpu $vcpu)
                $mappings.Count | Should -Be 2
                $mappings.VcpuAddress | Should -Contain 4MB
            }
            finally {
                Remove-KvmVm -Vm $vm -Confirm:$false
            }
        }
    }

    Context 'any host with KVM' -Skip:(-not $HasKvm) {
        It 'returns nothing for a vCPU without mappings' {
            $vm = New-KvmVm
            try {
                $vcpu = New-KvmVcpu -Vm $vm
                @(Get-KvmS390Mapping -Vcpu $vcpu).Count | Should -Be 0
            }
            finally {
                Remove-KvmVm -Vm $vm -Confirm:$false
            }
        }
    }
}

Describe 'Remove-KvmS390Mapping' {
    Context 'on an s390x host with user-controlled VMs' -Skip:(-not $Ucontrol) {
        BeforeEach {
            $vm = New-KvmVm -S390UserControlled
            $vcpu = New-KvmVcpu -Vm $vm
        }
        AfterEach {
            Remove-KvmVm -Vm $vm -Confirm:$false
        }

        It 'unmaps mappings from the pipeline' {
            Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 1MB | Out-Null
            Get-KvmS390Mapping -Vcpu $vcpu | Remove-KvmS390Mapping -Force
            @(Get-KvmS390Mapping -Vcpu $vcpu).Count | Should -Be 0
        }

        It 'unmaps by exact range and refuses a range that is not mapped' {
            Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 2MB | Out-Null
            { Remove-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 1MB -Force -ErrorAction Stop } | Should -Throw -ErrorId 'S390MappingNotFound*'
            Remove-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 2MB -Force
            @(Get-KvmS390Mapping -Vcpu $vcpu).Count | Should -Be 0
        }
    }

    Context 'on a host without user-controlled VMs' -Skip:((-not $HasKvm) -or $Ucontrol) {
        It 'says user-controlled address spaces are not supported on this host' {
            $vm = New-KvmVm
            try {
                $vcpu = New-KvmVcpu -Vm $vm
                { Remove-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 1MB -Force -ErrorAction Stop } | Should -Throw -ErrorId 'KVM_CAP_S390_UCONTROL.NotSupported*'
            }
            finally {
                Remove-KvmVm -Vm $vm -Confirm:$false
            }
        }
    }
}

Describe 'Invoke-KvmS390VcpuFault' {
    Context 'on an s390x host with user-controlled VMs' -Skip:(-not $Ucontrol) {
        BeforeEach {
            $vm = New-KvmVm -S390UserControlled
            $vcpu = New-KvmVcpu -Vm $vm
        }
        AfterEach {
            Remove-KvmVm -Vm $vm -Confirm:$false
        }

        It 'refuses an address outside every mapping of the vCPU' {
            { Invoke-KvmS390VcpuFault -Vcpu $vcpu -GuestAddress 0 -ErrorAction Stop } | Should -Throw -ErrorId 'S390GuestAddressNotMapped*'
        }

        It 'faults in a mapped lowcore' {
            Add-KvmS390Mapping -Vcpu $vcpu -VcpuAddress 0 -Length 1MB | Out-Null
            { Invoke-KvmS390VcpuFault -Vcpu $vcpu -GuestAddress 0 -ErrorAction Stop } | Should -Not -Throw
        }
    }

    Context 'on a host without s390 KVM' -Skip:((-not $HasKvm) -or $S390Gmap) {
        It 'says s390 guest address spaces are not supported on this host' {
            $vm = New-KvmVm
            try {
                $vcpu = New-KvmVcpu -Vm $vm
                { Invoke-KvmS390VcpuFault -Vcpu $vcpu -GuestAddress 0 -ErrorAction Stop } | Should -Throw -ErrorId 'KVM_CAP_S390_GMAP.NotSupported*'
            }
            finally {
                Remove-KvmVm -Vm $vm -Confirm:$false
            }
        }
    }
}
