# Real-host tests of the VFIO cmdlets. Scenarios that need hardware are gated on /dev/vfio/vfio and the IOMMU type
# the host offers; the "not available" errors are asserted on hosts without them.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')   # defines $HasKvm
    $script:HasVfio = Test-Path -LiteralPath '/dev/vfio/vfio'
    $script:IsPower = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString() -eq 'Ppc64le'
    # A group usable for real scenarios: every device bound to vfio-pci and its /dev/vfio node present.
    $usable = if ($script:HasVfio) { Get-VfioGroup | Where-Object { $_.DeviceNodeExists -and $_.AllDevicesBoundToVfio } | Select-Object -First 1 }
    # ... and an IOMMU driver of this architecture's type (vfio_iommu_type1 or vfio_iommu_spapr_tce) loaded.
    $type = if ($script:IsPower) { 'SpaprTceV2' } else { 'Type1v2' }
    $script:HasIommuType = $false
    if ($script:HasVfio) {
        $probe = Open-VfioContainer
        $script:HasIommuType = @($probe.SupportedIommuTypes) -contains [KvmPS.Vfio.VfioIommuType]$type
        $probe | Close-VfioContainer -Confirm:$false
    }
    $script:HasGroup = ($null -ne $usable) -and $script:HasIommuType
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # Discovery-time variables do not reach the run phase: compute what the tests use again.
    $script:IsPower = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString() -eq 'Ppc64le'
    $script:IommuType = if ($script:IsPower) { 'SpaprTceV2' } else { 'Type1v2' }
    $script:UsableGroupId = if (Test-Path -LiteralPath '/dev/vfio/vfio') {
        Get-VfioGroup | Where-Object { $_.DeviceNodeExists -and $_.AllDevicesBoundToVfio } | Select-Object -First 1 -ExpandProperty Id
    }
    function script:New-ReadyContainer([int] $GroupId) {
        $container = Open-VfioContainer
        $group = Add-VfioGroup -Container $container -Id $GroupId
        $container | Set-VfioIommu -Type $script:IommuType
        [pscustomobject]@{ Container = $container; Group = $group }
    }
}

AfterAll {
    Get-VfioContainer | Close-VfioContainer -Confirm:$false
}

Describe 'Open-VfioContainer' {
    Context 'on a host without VFIO' -Skip:$HasVfio {
        It 'says that /dev/vfio/vfio is missing and what to load' {
            { Open-VfioContainer -ErrorAction Stop } | Should -Throw -ErrorId 'VfioContainerNotFound*'
        }
    }
    Context 'on a host with VFIO' -Skip:(-not $HasVfio) {
        It 'opens the container and reports API version 0' {
            $container = Open-VfioContainer
            $container.ApiVersion | Should -Be 0
            $container.SupportedIommuTypes | Should -Not -BeNullOrEmpty
            $container | Close-VfioContainer -Confirm:$false
        }
    }
}

Describe 'Get-VfioContainer' {
    It 'reports an unknown id' {
        { Get-VfioContainer -Id 4242 -ErrorAction Stop } | Should -Throw -ErrorId 'VfioContainerNotOpen*'
    }
    It 'lists an open container' -Skip:(-not $HasVfio) {
        $container = Open-VfioContainer
        (Get-VfioContainer).Id | Should -Contain $container.Id
        $container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Close-VfioContainer' -Skip:(-not $HasVfio) {
    It 'closes the container' {
        $container = Open-VfioContainer
        Close-VfioContainer -Id $container.Id -Confirm:$false
        $container.IsClosed | Should -BeTrue
        (Get-VfioContainer).Id | Should -Not -Contain $container.Id
    }
}

Describe 'Get-VfioGroup' {
    It 'lists the host IOMMU groups without error' {
        { Get-VfioGroup -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'Add-VfioGroup' {
    It 'explains a group without a /dev/vfio node' -Skip:(-not $HasVfio) {
        $container = Open-VfioContainer
        { Add-VfioGroup -Container $container -Id 99999 -ErrorAction Stop } | Should -Throw -ErrorId 'VfioGroupNotFound*'
        $container | Close-VfioContainer -Confirm:$false
    }
    It 'attaches a usable group' -Skip:(-not $HasGroup) {
        $container = Open-VfioContainer
        $group = Add-VfioGroup -Container $container -Id $UsableGroupId
        $group.Status.HasFlag([KvmPS.Vfio.VfioGroupFlags]::ContainerSet) | Should -BeTrue
        $container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Remove-VfioGroup' -Skip:(-not $HasGroup) {
    It 'detaches the group and resets the container' {
        $ready = New-ReadyContainer $UsableGroupId
        $ready.Group | Remove-VfioGroup -Force -Confirm:$false
        $ready.Container.IommuType | Should -BeNullOrEmpty
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Set-VfioIommu' {
    It 'needs a group first' -Skip:(-not $HasVfio) {
        $container = Open-VfioContainer
        { $container | Set-VfioIommu -Type $IommuType -ErrorAction Stop } | Should -Throw -ErrorId 'VfioIommuNeedsGroup*'
        $container | Close-VfioContainer -Confirm:$false
    }
    It 'sets the IOMMU type of this architecture' -Skip:(-not $HasGroup) {
        $ready = New-ReadyContainer $UsableGroupId
        $ready.Container.IommuType | Should -Be $IommuType
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Get-VfioIommuInfo' -Skip:(-not $HasGroup) {
    It 'describes the IOMMU' {
        $ready = New-ReadyContainer $UsableGroupId
        $info = $ready.Container | Get-VfioIommuInfo
        if ($IsPower) { $info.Dma32WindowSize | Should -BeGreaterThan 0 } else { $info.PageSizes | Should -Not -BeNullOrEmpty }
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Get-VfioDevice' -Skip:(-not $HasGroup) {
    It 'opens and describes the devices of the group' {
        $ready = New-ReadyContainer $UsableGroupId
        $devices = @($ready.Group | Get-VfioDevice)
        $devices.Count | Should -BeGreaterThan 0
        $devices[0].RegionCount | Should -BeGreaterThan 0
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Reset-VfioDevice' -Skip:(-not $HasGroup) {
    It 'resets a device that supports it, or says it cannot' {
        $ready = New-ReadyContainer $UsableGroupId
        $device = @($ready.Group | Get-VfioDevice)[0]
        if ($device.SupportsReset) {
            { $device | Reset-VfioDevice -Confirm:$false -ErrorAction Stop } | Should -Not -Throw
        } else {
            { $device | Reset-VfioDevice -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'VfioDeviceResetNotSupported*'
        }
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Add-VfioDmaMapping' -Skip:(-not ($HasGroup -and -not $IsPower -and $HasKvm)) {
    It 'maps and unmaps guest memory' {
        $ready = New-ReadyContainer $UsableGroupId
        $vm = New-KvmVm
        $mapping = $vm | New-KvmMemoryRegion 0 2MB | Add-VfioDmaMapping -Container $ready.Container
        $mapping.Iova | Should -Be 0
        $mapping | Remove-VfioDmaMapping -Confirm:$false
        $mapping.IsUnmapped | Should -BeTrue
        $vm | Remove-KvmVm -Confirm:$false
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Remove-VfioDmaMapping' -Skip:(-not $HasVfio) {
    It 'needs a mapping' {
        { Remove-VfioDmaMapping -Mapping $null -Force -ErrorAction Stop } | Should -Throw
    }
}

Describe 'Register-VfioMemory' -Skip:(-not $HasGroup) {
    It 'is refused off SPAPR_TCE_v2, or registers guest memory on POWER' {
        $ready = New-ReadyContainer $UsableGroupId
        if ($IsPower -and $HasKvm) {
            $vm = New-KvmVm
            $registration = $vm | New-KvmMemoryRegion 0 16MB | Register-VfioMemory -Container $ready.Container
            $registration.Size | Should -Be 16MB
            $vm | Remove-KvmVm -Confirm:$false
        } else {
            { Register-VfioMemory -Container $ready.Container -HostAddress 0x10000000 -Size 64KB -ErrorAction Stop } |
                Should -Throw -ErrorId 'VfioRequiresSpaprTceV2*'
        }
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Unregister-VfioMemory' -Skip:(-not ($HasGroup -and $IsPower)) {
    It 'needs exactly the registered range' {
        $ready = New-ReadyContainer $UsableGroupId
        { Unregister-VfioMemory -Container $ready.Container -HostAddress 0x10000000 -Size 64KB -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'VfioMemoryRegistrationNotFound*'
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'New-VfioDmaWindow' -Skip:(-not $HasGroup) {
    It 'creates a window where the platform supports DDW, or refuses clearly' {
        $ready = New-ReadyContainer $UsableGroupId
        if (-not $IsPower) {
            { $ready.Container | New-VfioDmaWindow -PageShift 16 -WindowSize 1TB -ErrorAction Stop } | Should -Throw -ErrorId 'VfioRequiresSpaprTceV2*'
        } elseif (-not ($ready.Container | Get-VfioIommuInfo).SupportsDynamicWindows) {
            { $ready.Container | New-VfioDmaWindow -PageShift 16 -WindowSize 1TB -ErrorAction Stop } | Should -Throw -ErrorId 'VfioDdwNotSupported*'
        } else {
            $window = $ready.Container | New-VfioDmaWindow -PageShift 16 -WindowSize 1TB
            $window.StartAddress | Should -BeGreaterThan 0
            { $ready.Container | New-VfioDmaWindow -PageShift 16 -WindowSize 1TB -ErrorAction Stop } | Should -Throw -ErrorId 'VfioDmaWindowLimitReached*'
        }
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Remove-VfioDmaWindow' -Skip:(-not ($HasGroup -and $IsPower)) {
    It 'removes the default window and refuses an unknown address' {
        $ready = New-ReadyContainer $UsableGroupId
        { Remove-VfioDmaWindow -Container $ready.Container -StartAddress 0x1234 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'VfioDmaWindowNotFound*'
        $ready.Container | Get-VfioDmaWindow | Where-Object IsDefault | Remove-VfioDmaWindow -Confirm:$false
        @($ready.Container | Get-VfioDmaWindow).Count | Should -Be 0
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Get-VfioDmaWindow' -Skip:(-not $HasGroup) {
    It 'lists the default window on POWER and none with Type1' {
        $ready = New-ReadyContainer $UsableGroupId
        $windows = @($ready.Container | Get-VfioDmaWindow)
        if ($IsPower) { $windows[0].IsDefault | Should -BeTrue } else { $windows.Count | Should -Be 0 }
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Add-KvmVfioGroup' -Skip:(-not ($HasGroup -and $HasKvm)) {
    It 'adds the group to the VM' {
        $ready = New-ReadyContainer $UsableGroupId
        $vm = New-KvmVm
        $device = $ready.Group | Add-KvmVfioGroup -Vm $vm
        $device.Groups.Count | Should -Be 1
        $vm | Remove-KvmVm -Confirm:$false
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Remove-KvmVfioGroup' -Skip:(-not $HasKvm) {
    It 'says when the VM has no KVM-VFIO device' -Skip:(-not $HasGroup) {
        $ready = New-ReadyContainer $UsableGroupId
        $vm = New-KvmVm
        { $ready.Group | Remove-KvmVfioGroup -Vm $vm -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'KvmVfioDeviceNotFound*'
        $vm | Remove-KvmVm -Confirm:$false
        $ready.Container | Close-VfioContainer -Confirm:$false
    }
}

Describe 'Set-KvmVfioSpaprTce' {
    Context 'off POWER' -Skip:($IsPower -or -not ($HasGroup -and $HasKvm)) {
        It 'has no table to link: only powerpc64le creates KVM TCE tables' {
            $vm = New-KvmVm
            { $vm | New-KvmSpaprTce -Liobn 0x80000000 -WindowSize 1GB -ErrorAction Stop } | Should -Throw
            $vm | Remove-KvmVm -Confirm:$false
        }
    }

    It 'takes the table object by value from the pipeline, never a raw descriptor' {
        $table = (Get-Command Set-KvmVfioSpaprTce).Parameters['Table']
        $table.ParameterType.FullName | Should -Be 'KvmPS.Kvm.Ppc.SpaprTceTable'
        $table.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipeline | Should -Contain $true
        (Get-Command Set-KvmVfioSpaprTce).Parameters.Values.ParameterType.Name | Should -Not -Contain 'FileDescriptorHandle'
    }
}
