# The other powerpc cmdlets. Each real-host scenario needs its capability; hosts with KVM but without it check
# the "not supported" error instead.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    function Test-Cap([string] $Name) { $HasKvm -and (Test-KvmCapability $Name) }
    $script:Caps = @{}
    foreach ($name in 'PpcGetPvinfo', 'PpcGetSmmuInfo', 'PpcAllocHtab', 'PpcPapr', 'PpcOsi', 'SwTlb', 'PpcRma') {
        $script:Caps[$name] = Test-Cap $name
    }
    $script:NotSupportedCases = @(@(
        @{ Command = { param($vm) $vm | Get-KvmPpcPvInfo -ErrorAction Stop }; Cap = 'PpcGetPvinfo'; Id = 'KVM_CAP_PPC_GET_PVINFO' }
        @{ Command = { param($vm) $vm | Get-KvmPpcSmmuInfo -ErrorAction Stop }; Cap = 'PpcGetSmmuInfo'; Id = 'KVM_CAP_PPC_GET_SMMU_INFO' }
        @{ Command = { param($vm) $vm | Initialize-KvmPpcHashTable -Order 24 -Confirm:$false -ErrorAction Stop }; Cap = 'PpcAllocHtab'; Id = 'KVM_CAP_PPC_ALLOC_HTAB' }
        @{ Command = { param($vm) $vm | New-KvmPpcRma -ErrorAction Stop }; Cap = 'PpcRma'; Id = 'KVM_CAP_PPC_RMA' }
    ) | Where-Object { $HasKvm -and -not $Caps[$_.Cap] })
    $script:VcpuNotSupportedCases = @(@(
        @{ Command = { param($vcpu) $vcpu | Enable-KvmPpcPapr -ErrorAction Stop }; Cap = 'PpcPapr'; Id = 'KVM_CAP_PPC_PAPR' }
        @{ Command = { param($vcpu) $vcpu | Enable-KvmPpcOsi -ErrorAction Stop }; Cap = 'PpcOsi'; Id = 'KVM_CAP_PPC_OSI' }
        @{ Command = { param($vcpu) $vcpu | Enable-KvmPpcSoftwareTlb -TlbSize 512, 64 -TlbWays 4, 64 -ErrorAction Stop }; Cap = 'SwTlb'; Id = 'KVM_CAP_SW_TLB' }
    ) | Where-Object { $HasKvm -and -not $Caps[$_.Cap] })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Get-KvmPpcPvInfo' {
    It 'returns four hypercall instructions' -Skip:(-not $Caps.PpcGetPvinfo) {
        $vm = New-KvmVm
        try {
            ($vm | Get-KvmPpcPvInfo).HypercallInstructions.Count | Should -Be 4
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}

Describe 'Get-KvmPpcSmmuInfo' {
    It 'lists segment page sizes in increasing order' -Skip:(-not $Caps.PpcGetSmmuInfo) {
        $vm = New-KvmVm
        try {
            $shifts = ($vm | Get-KvmPpcSmmuInfo).SegmentPageSizes | ForEach-Object PageShift
            $shifts | Should -Not -BeNullOrEmpty
            $shifts | Should -Be ($shifts | Sort-Object)
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}

Describe 'Initialize-KvmPpcHashTable' {
    It 'allocates a 2^order-byte table' -Skip:(-not $Caps.PpcAllocHtab) {
        $vm = New-KvmVm
        try {
            ($vm | Initialize-KvmPpcHashTable -Order 20 -Confirm:$false).Size | Should -Be 1MB
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }

    It 'refuses an order outside 18..46 before the ioctl' -Skip:(-not $Caps.PpcAllocHtab) {
        $vm = New-KvmVm
        try {
            { $vm | Initialize-KvmPpcHashTable -Order 17 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidHashTableOrder*'
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}

Describe 'Enable-KvmPpcPapr' {
    It 'enables PAPR mode on a vCPU' -Skip:(-not $Caps.PpcPapr) {
        $vm = New-KvmVm
        try {
            $vcpu = $vm | New-KvmVcpu
            ($vcpu | Enable-KvmPpcPapr -PassThru).Id | Should -Be $vcpu.Id
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}

Describe 'Enable-KvmPpcOsi' {
    It 'enables OSI exits on a vCPU' -Skip:(-not $Caps.PpcOsi) {
        $vm = New-KvmVm
        try {
            $vcpu = $vm | New-KvmVcpu
            { $vcpu | Enable-KvmPpcOsi -ErrorAction Stop } | Should -Not -Throw
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}

Describe 'Enable-KvmPpcSoftwareTlb' {
    It 'refuses a TLB1 that is not fully associative' -Skip:(-not $Caps.SwTlb) {
        $vm = New-KvmVm
        try {
            $vcpu = $vm | New-KvmVcpu
            { $vcpu | Enable-KvmPpcSoftwareTlb -TlbSize 512, 16 -TlbWays 4, 8 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTlbGeometry*'
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}

Describe 'Sync-KvmPpcTlb' {
    It 'reports changed entries to the kernel' -Skip:(-not $Caps.SwTlb) {
        $vm = New-KvmVm
        try {
            $tlb = $vm | New-KvmVcpu | Enable-KvmPpcSoftwareTlb -TlbSize 512, 64 -TlbWays 4, 64
            $tlb | Sync-KvmPpcTlb -Index 0, 513 -PassThru | Should -Be $tlb
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}

Describe 'New-KvmPpcRma' {
    It 'maps an RMA of the size the host fixed at boot' -Skip:(-not $Caps.PpcRma) {
        $vm = New-KvmVm
        try {
            ($vm | New-KvmPpcRma).Size | Should -BeGreaterThan 0
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }

    It 'backs a memory slot at guest address 0 with New-KvmMemoryRegion -RealModeArea' -Skip:(-not $Caps.PpcRma) {
        $vm = New-KvmVm
        try {
            $rma = $vm | New-KvmPpcRma
            $region = $rma | New-KvmMemoryRegion
            $region.GuestAddress | Should -Be 0
            $region.Size | Should -Be $rma.Size
            $region.HostAddress | Should -Be $rma.HostAddress
            { $rma | New-KvmMemoryRegion -GuestAddress 0x10000000 -ErrorAction Stop } | Should -Throw -ErrorId 'RmaAlreadyMapped*'
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}

Describe 'powerpc cmdlets on a host without the capability' {
    It '<Id> is reported as not supported' -ForEach $NotSupportedCases {
        $vm = New-KvmVm
        try {
            { & $Command $vm } | Should -Throw -ErrorId "$Id.NotSupported*"
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }

    It '<Id> is reported as not supported for a vCPU' -ForEach $VcpuNotSupportedCases {
        $vm = New-KvmVm
        try {
            $vcpu = $vm | New-KvmVcpu
            { & $Command $vcpu } | Should -Throw -ErrorId "$Id.NotSupported*"
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}
