BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

BeforeDiscovery {
    $HasReadonlyMem = $HasKvm -and (Test-KvmCapability -Name ReadonlyMem)
}

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

Describe 'New-KvmMemoryRegion' -Skip:(-not $HasKvm) {
    BeforeAll {
        # Regions must be page-aligned: the page is 4 KB on x86_64 but may be 16 or 64 KB elsewhere.
        # Mixed UInt64/Int32 arithmetic does not stay UInt64 in PowerShell; the casts keep these two UInt64.
        $script:Page = [uint64][System.Environment]::SystemPageSize
        $script:Base = [uint64](16 * $script:Page)
    }

    BeforeEach {
        $vm = New-KvmVm
    }

    AfterEach {
        Get-KvmVm | Remove-KvmVm -Confirm:$false
    }

    It 'adds a region in slot 0 for a piped VM' {
        $region = $vm | New-KvmMemoryRegion -GuestAddress $Base -Size (2 * $Page)
        $region.GetType().FullName | Should -Be 'KvmPS.Kvm.GuestMemoryRegion'
        $region.VmId | Should -Be $vm.Id
        $region.Slot | Should -Be 0
        $region.GuestAddress | Should -Be $Base
        $region.Size | Should -Be (2 * $Page)
        $region.EndAddress | Should -Be ($Base + 2 * $Page - 1)
        $region.ReadOnly | Should -BeFalse
        $region.LogDirtyPages | Should -BeFalse
        $region.IsRemoved | Should -BeFalse
        $region.HostAddress | Should -BeGreaterThan 0
    }

    It 'takes -GuestAddress and -Size by position and uses the next free slot' {
        $null = New-KvmMemoryRegion -Vm $vm $Base $Page
        $second = New-KvmMemoryRegion -Vm $vm ($Base + $Page) $Page
        $second.Slot | Should -Be 1
    }

    It 'uses the slot given with -Slot' {
        (New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page -Slot 5).Slot | Should -Be 5
    }

    It 'gives the guest zeroed memory' {
        $region = New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page
        $bytes = Read-KvmGuestMemory -Vm $vm -GuestAddress $Base -Length 64
        $bytes | Should -Be ([byte[]]::new(64))
        $region.Slot | Should -Be 0
    }

    It 'records -LogDirtyPages in the region flags' {
        $region = New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page -LogDirtyPages
        $region.LogDirtyPages | Should -BeTrue
        $region.Flags.ToString() | Should -Be 'LogDirtyPages'
    }

    It 'fails with InvalidMemoryRegionSize for a size that is zero or not a page multiple' {
        { New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size 0 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMemoryRegionSize*'
        { New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size ($Page + 1) -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMemoryRegionSize*'
        $vm.MemoryRegions | Should -BeNullOrEmpty
    }

    It 'fails with InvalidGuestAddress for an address that is not page-aligned' {
        { New-KvmMemoryRegion -Vm $vm -GuestAddress ($Base + 1) -Size $Page -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidGuestAddress*'
    }

    It 'fails with InvalidMemorySlot for a slot out of range' {
        { New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page -Slot -1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMemorySlot*'
        { New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page -Slot ([int]::MaxValue) -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMemorySlot*'
    }

    It 'fails with MemorySlotInUse for a slot the VM already uses' {
        $null = New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page -Slot 3
        { New-KvmMemoryRegion -Vm $vm -GuestAddress (4 * $Base) -Size $Page -Slot 3 -ErrorAction Stop } | Should -Throw -ErrorId 'MemorySlotInUse*'
    }

    It 'fails with KVM_SET_USER_MEMORY_REGION.EEXIST, naming the slot, for an overlapping range' {
        $null = New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size (4 * $Page)
        $failure = { New-KvmMemoryRegion -Vm $vm -GuestAddress ($Base + 2 * $Page) -Size (4 * $Page) -ErrorAction Stop } |
            Should -Throw -ErrorId 'KVM_SET_USER_MEMORY_REGION.EEXIST*' -PassThru
        $failure.Exception.Message | Should -BeLike '*overlaps slot 0*'
        $failure.CategoryInfo.Category.ToString() | Should -Be 'ResourceExists'
        @($vm.MemoryRegions).Count | Should -Be 1
    }

    It 'writes one error per failing VM and goes on with the next' {
        $other = New-KvmVm
        $null = New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page
        $created = $vm, $other | New-KvmMemoryRegion -GuestAddress $Base -Size $Page -ErrorVariable failures -ErrorAction SilentlyContinue
        @($created).Count | Should -Be 1
        $created.VmId | Should -Be $other.Id
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'KVM_SET_USER_MEMORY_REGION.EEXIST*'
    }

    Context 'read-only regions, on a host with KVM_CAP_READONLY_MEM' -Skip:(-not $HasReadonlyMem) {
        It 'creates a read-only region' {
            $region = New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page -ReadOnly
            $region.ReadOnly | Should -BeTrue
            $region.Flags.ToString() | Should -Be 'ReadOnly'
        }
    }

    Context 'read-only regions, on a host without KVM_CAP_READONLY_MEM' -Skip:$HasReadonlyMem {
        It 'fails with the "not supported" error' {
            { New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page -ReadOnly -ErrorAction Stop } |
                Should -Throw -ErrorId 'KVM_CAP_READONLY_MEM.NotSupported*'
        }
    }
}

Describe 'Get-KvmMemoryRegion' -Skip:(-not $HasKvm) {
    BeforeAll {
        # Regions must be page-aligned: the page is 4 KB on x86_64 but may be 16 or 64 KB elsewhere.
        # Mixed UInt64/Int32 arithmetic does not stay UInt64 in PowerShell; the casts keep these two UInt64.
        $script:Page = [uint64][System.Environment]::SystemPageSize
        $script:Base = [uint64](16 * $script:Page)
    }

    BeforeEach {
        $vmA = New-KvmVm
        $vmB = New-KvmVm
        $a0 = New-KvmMemoryRegion -Vm $vmA -GuestAddress $Base -Size $Page
        $a1 = New-KvmMemoryRegion -Vm $vmA -GuestAddress (2 * $Base) -Size $Page
        $b0 = New-KvmMemoryRegion -Vm $vmB -GuestAddress $Base -Size $Page
    }

    AfterEach {
        Get-KvmVm | Remove-KvmVm -Confirm:$false
    }

    It 'lists the regions of every VM when no VM is given' {
        $all = @(Get-KvmMemoryRegion)
        $all.Count | Should -Be 3
        [object]::ReferenceEquals($all[0], $a0) | Should -BeTrue
    }

    It 'lists the regions of a piped VM in the order they were added' {
        ($vmA | Get-KvmMemoryRegion).Slot | Should -Be @(0, 1)
        ($vmA | Get-KvmMemoryRegion).GuestAddress | Should -Be @($Base, (2 * $Base))
    }

    It 'takes VMs by position' {
        @(Get-KvmMemoryRegion $vmB).Count | Should -Be 1
        @(Get-KvmMemoryRegion $vmA, $vmB).Count | Should -Be 3
    }

    It 'returns nothing for a removed VM' {
        Remove-KvmVm -Vm $vmA -Force
        Get-KvmMemoryRegion -Vm $vmA | Should -BeNullOrEmpty
        $a1.IsRemoved | Should -BeTrue
    }
}

Describe 'Remove-KvmMemoryRegion' -Skip:(-not $HasKvm) {
    BeforeAll {
        # Regions must be page-aligned: the page is 4 KB on x86_64 but may be 16 or 64 KB elsewhere.
        # Mixed UInt64/Int32 arithmetic does not stay UInt64 in PowerShell; the casts keep these two UInt64.
        $script:Page = [uint64][System.Environment]::SystemPageSize
        $script:Base = [uint64](16 * $script:Page)
    }

    BeforeEach {
        $vm = New-KvmVm
        $region = New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page
    }

    AfterEach {
        Get-KvmVm | Remove-KvmVm -Confirm:$false
    }

    It 'removes a piped region and unmaps its memory' {
        $region | Remove-KvmMemoryRegion -Force
        $region.IsRemoved | Should -BeTrue
        Get-KvmMemoryRegion -Vm $vm | Should -BeNullOrEmpty
    }

    It 'frees the guest range and the slot for a new region' {
        Remove-KvmMemoryRegion -Region $region -Force
        $again = New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page -ErrorAction Stop
        $again.Slot | Should -Be 0
    }

    It 'changes nothing with -WhatIf' {
        Remove-KvmMemoryRegion -Region $region -WhatIf
        $region.IsRemoved | Should -BeFalse
        @(Get-KvmMemoryRegion -Vm $vm).Count | Should -Be 1
    }

    It 'fails with MemoryRegionNotFound for a region removed already' {
        Remove-KvmMemoryRegion $region -Force
        { Remove-KvmMemoryRegion -Region $region -Force -ErrorAction Stop } | Should -Throw -ErrorId 'MemoryRegionNotFound*'
    }

    It 'makes guest memory access to the removed range fail with GuestAddressNotMapped' {
        $region | Remove-KvmMemoryRegion -Force
        { Read-KvmGuestMemory -Vm $vm -GuestAddress $Base -Length 1 -ErrorAction Stop } | Should -Throw -ErrorId 'GuestAddressNotMapped*'
    }
}

Describe 'Write-KvmGuestMemory' -Skip:(-not $HasKvm) {
    BeforeAll {
        # Regions must be page-aligned: the page is 4 KB on x86_64 but may be 16 or 64 KB elsewhere.
        # Mixed UInt64/Int32 arithmetic does not stay UInt64 in PowerShell; the casts keep these two UInt64.
        $script:Page = [uint64][System.Environment]::SystemPageSize
        $script:Base = [uint64](16 * $script:Page)
    }

    BeforeEach {
        $vm = New-KvmVm
        $region = New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page
        $bytes = [byte[]](0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02)
    }

    AfterEach {
        Get-KvmVm | Remove-KvmVm -Confirm:$false
    }

    It 'writes bytes that Read-KvmGuestMemory reads back' {
        Write-KvmGuestMemory -Vm $vm -GuestAddress ($Base + 8) -Bytes $bytes
        $read = Read-KvmGuestMemory -Vm $vm -GuestAddress ($Base + 8) -Length $bytes.Length
        $read | Should -Be $bytes
    }

    It 'takes the VM from the Vm property of a piped region, and address and bytes by position' {
        $region | Write-KvmGuestMemory ($Base + 16) $bytes
        $read = Read-KvmGuestMemory -Vm $vm -GuestAddress ($Base + 16) -Length $bytes.Length
        $read | Should -Be $bytes
    }

    It 'writes the last bytes of a region' {
        $end = $Base + $Page - [uint64]$bytes.Length
        Write-KvmGuestMemory -Vm $vm -GuestAddress $end -Bytes $bytes -ErrorAction Stop
        $read = Read-KvmGuestMemory -Vm $vm -GuestAddress $end -Length $bytes.Length
        $read | Should -Be $bytes
    }

    It 'writes the contents of a file given with -Path' {
        $file = Join-Path $TestDrive 'guest.bin'
        [System.IO.File]::WriteAllBytes($file, $bytes)
        Write-KvmGuestMemory -Vm $vm -GuestAddress $Base -Path $file
        $read = Read-KvmGuestMemory -Vm $vm -GuestAddress $Base -Length $bytes.Length
        $read | Should -Be $bytes
    }

    It 'resolves a PowerShell drive path given with -Path' {
        [System.IO.File]::WriteAllBytes((Join-Path $TestDrive 'drive.bin'), [byte[]](7, 8, 9))
        Write-KvmGuestMemory -Vm $vm -GuestAddress $Base -Path 'TestDrive:/drive.bin'
        $read = Read-KvmGuestMemory -Vm $vm -GuestAddress $Base -Length 3
        $read | Should -Be ([byte[]](7, 8, 9))
    }

    It 'fails with FileNotFoundException for a missing file' {
        { Write-KvmGuestMemory -Vm $vm -GuestAddress $Base -Path (Join-Path $TestDrive 'missing.bin') -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileNotFoundException*'
    }

    It 'fails with GuestAddressNotMapped outside every region' {
        $failure = { Write-KvmGuestMemory -Vm $vm -GuestAddress (8 * $Base) -Bytes $bytes -ErrorAction Stop } |
            Should -Throw -ErrorId 'GuestAddressNotMapped*' -PassThru
        $failure.Exception.Message | Should -BeLike ('*0x{0:X}-0x{1:X}*' -f $Base, [uint64]($Base + $Page - 1))
    }

    It 'fails with GuestAddressNotMapped for a range that runs past the end of its region' {
        { Write-KvmGuestMemory -Vm $vm -GuestAddress ($Base + $Page - 2) -Bytes $bytes -ErrorAction Stop } |
            Should -Throw -ErrorId 'GuestAddressNotMapped*'
        $read = Read-KvmGuestMemory -Vm $vm -GuestAddress ($Base + $Page - 2) -Length 2
        $read | Should -Be ([byte[]](0, 0))
    }

    It 'fails with GuestAddressNotMapped for a range spanning two adjacent regions' {
        $null = New-KvmMemoryRegion -Vm $vm -GuestAddress ($Base + $Page) -Size $Page
        { Write-KvmGuestMemory -Vm $vm -GuestAddress ($Base + $Page - 2) -Bytes $bytes -ErrorAction Stop } |
            Should -Throw -ErrorId 'GuestAddressNotMapped*'
    }

    It 'fails with VmRemoved for a removed VM' {
        Remove-KvmVm -Vm $vm -Force
        { Write-KvmGuestMemory -Vm $vm -GuestAddress $Base -Bytes $bytes -ErrorAction Stop } | Should -Throw -ErrorId 'VmRemoved*'
    }
}

Describe 'Read-KvmGuestMemory' -Skip:(-not $HasKvm) {
    BeforeAll {
        # Regions must be page-aligned: the page is 4 KB on x86_64 but may be 16 or 64 KB elsewhere.
        # Mixed UInt64/Int32 arithmetic does not stay UInt64 in PowerShell; the casts keep these two UInt64.
        $script:Page = [uint64][System.Environment]::SystemPageSize
        $script:Base = [uint64](16 * $script:Page)
    }

    BeforeEach {
        $vm = New-KvmVm
        $region = New-KvmMemoryRegion -Vm $vm -GuestAddress $Base -Size $Page
        Write-KvmGuestMemory -Vm $vm -GuestAddress $Base -Bytes ([byte[]](1, 2, 3, 4))
    }

    AfterEach {
        Get-KvmVm | Remove-KvmVm -Confirm:$false
    }

    It 'returns one byte array, not single bytes' {
        $read = Read-KvmGuestMemory -Vm $vm -GuestAddress $Base -Length 4
        $read.GetType().FullName | Should -Be 'System.Byte[]'
        $read | Should -Be ([byte[]](1, 2, 3, 4))
        (Read-KvmGuestMemory -Vm $vm -GuestAddress $Base -Length 4 | Measure-Object).Count | Should -Be 1
    }

    It 'takes the VM from the Vm property of a piped region, and address and length by position' {
        $read = $region | Read-KvmGuestMemory ($Base + 2) 2
        $read | Should -Be ([byte[]](3, 4))
    }

    It 'reads zero bytes as an empty array' {
        $read = Read-KvmGuestMemory -Vm $vm -GuestAddress $Base -Length 0
        $read.GetType().FullName | Should -Be 'System.Byte[]'
        $read.Length | Should -Be 0
    }

    It 'fails with GuestAddressNotMapped outside every region' {
        { Read-KvmGuestMemory -Vm $vm -GuestAddress (8 * $Base) -Length 1 -ErrorAction Stop } | Should -Throw -ErrorId 'GuestAddressNotMapped*'
        { Read-KvmGuestMemory -Vm $vm -GuestAddress ($Base - 1) -Length 2 -ErrorAction Stop } | Should -Throw -ErrorId 'GuestAddressNotMapped*'
        { Read-KvmGuestMemory -Vm $vm -GuestAddress $Base -Length ($Page + 1) -ErrorAction Stop } | Should -Throw -ErrorId 'GuestAddressNotMapped*'
    }

    It 'rejects a negative length in parameter validation' {
        { Read-KvmGuestMemory -Vm $vm -GuestAddress $Base -Length -1 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'fails with VmRemoved for a removed VM' {
        Remove-KvmVm -Vm $vm -Force
        { Read-KvmGuestMemory -Vm $vm -GuestAddress $Base -Length 1 -ErrorAction Stop } | Should -Throw -ErrorId 'VmRemoved*'
    }
}

Describe 'New-KvmGuestMemfd' {
    BeforeDiscovery {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $script:HasGuestMemfd = $CanRunX86 -and
            (Test-KvmCapability -Name GuestMemfd) -and (Test-KvmCapability -Name UserMemory2)
    }

    Context 'on an x86_64 host with KVM_CAP_GUEST_MEMFD' -Skip:(-not $HasGuestMemfd) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Force }

        It 'creates a guest_memfd that New-KvmMemoryRegion -GuestMemfd uses for a slot' {
            $vm = New-KvmVm
            $memfd = New-KvmGuestMemfd -Vm $vm -Size 128KB
            $memfd.GetType().FullName | Should -Be 'KvmPS.Kvm.KvmGuestMemfd'
            $memfd.Size | Should -Be 131072
            $region = New-KvmMemoryRegion -Vm $vm -GuestAddress 0 -Size 64KB -GuestMemfd $memfd -GuestMemfdOffset 64KB
            $region.Flags | Should -Match 'GuestMemfd'
            Write-KvmGuestMemory -Vm $vm -GuestAddress 0x1000 -Bytes ([byte[]](1, 2, 3))
            (Read-KvmGuestMemory -Vm $vm -GuestAddress 0x1000 -Length 3) | Should -Be @(1, 2, 3)
        }

        It 'refuses a guest_memfd of another VM, with what to do' {
            $memfd = New-KvmGuestMemfd -Vm (New-KvmVm) -Size 64KB
            $failed = $null
            try { New-KvmMemoryRegion -Vm (New-KvmVm) -GuestAddress 0 -Size 64KB -GuestMemfd $memfd -ErrorAction Stop } catch { $failed = $_ }
            $failed.FullyQualifiedErrorId | Should -BeLike 'GuestMemfdOfAnotherVm*'
            $failed.ErrorDetails.RecommendedAction | Should -Match 'New-KvmGuestMemfd'
        }

        It 'refuses a size that is not a multiple of the page size' {
            { New-KvmGuestMemfd -Vm (New-KvmVm) -Size 6KB -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidGuestMemfdSize*'
        }
    }
}
