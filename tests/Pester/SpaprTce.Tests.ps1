# sPAPR TCE table cmdlets. Real-host scenarios need a powerpc host with KVM_CAP_SPAPR_TCE; everywhere else the
# "not supported" contexts run instead.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:HasTce = $HasKvm -and (Test-KvmCapability SpaprTce)
    $script:LacksTce = $HasKvm -and -not $HasTce
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'New-KvmSpaprTce' {
    Context 'on a host with KVM_CAP_SPAPR_TCE' -Skip:(-not $HasTce) {
        BeforeEach { $vm = New-KvmVm }
        AfterEach { $vm | Remove-KvmVm -Confirm:$false }

        It 'creates a table with one entry per 4 KiB of the window' {
            $table = $vm | New-KvmSpaprTce -Liobn 0x71000000 -WindowSize 1MB
            $table.Liobn | Should -Be 0x71000000
            $table.EntryCount | Should -Be 256
            $table.PageShift | Should -Be 12
            $table.MappedLength | Should -BeGreaterOrEqual 2048
        }

        It 'refuses a second table for the same LIOBN with the kernel''s EBUSY' {
            $vm | New-KvmSpaprTce -Liobn 0x71000001 -WindowSize 64KB | Out-Null
            { $vm | New-KvmSpaprTce -Liobn 0x71000001 -WindowSize 64KB -ErrorAction Stop } |
                Should -Throw -ErrorId 'KVM_CREATE_SPAPR_TCE*.EBUSY*'
        }

        It 'refuses a window size that is not a multiple of 4 KiB before the ioctl' {
            { $vm | New-KvmSpaprTce -Liobn 0x71000002 -WindowSize 6KB -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidTceWindowSize*'
        }

        It 'refuses an offset and size that overflow the bus' {
            { $vm | New-KvmSpaprTce -Liobn 0x71000003 -PageShift 34 -Offset 0x3FFFFFFF -Size 1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'TceWindowOverflow*'
        }

        It 'creates a 64 KiB-page window where KVM_CAP_SPAPR_TCE_64 exists' -Skip:(-not (Test-KvmCapability SpaprTce64)) {
            $table = $vm | New-KvmSpaprTce -Liobn 0x71000004 -PageShift 16 -Offset 0x800 -Size 16
            $table.BusOffset | Should -Be (0x800 * 64KB)
            $table.CreatedWith64BitIoctl | Should -BeTrue
        }
    }

    Context 'on a host without KVM_CAP_SPAPR_TCE' -Skip:(-not $LacksTce) {
        It 'says the host does not support TCE tables' {
            $vm = New-KvmVm
            try {
                { $vm | New-KvmSpaprTce -Liobn 1 -WindowSize 1MB -ErrorAction Stop } |
                    Should -Throw -ErrorId 'KVM_CAP_SPAPR_TCE.NotSupported*'
            }
            finally {
                $vm | Remove-KvmVm -Confirm:$false
            }
        }
    }
}

Describe 'Get-KvmSpaprTce' {
    Context 'on a host with KVM_CAP_SPAPR_TCE' -Skip:(-not $HasTce) {
        It 'lists the tables of a VM and filters by LIOBN' {
            $vm = New-KvmVm
            try {
                $vm | New-KvmSpaprTce -Liobn 0x10 -WindowSize 64KB | Out-Null
                $vm | New-KvmSpaprTce -Liobn 0x11 -WindowSize 64KB | Out-Null
                @($vm | Get-KvmSpaprTce).Count | Should -Be 2
                (Get-KvmSpaprTce -Vm $vm -Liobn 0x11).Liobn | Should -Be 0x11
            }
            finally {
                $vm | Remove-KvmVm -Confirm:$false
            }
        }
    }

    Context 'on any host with KVM' -Skip:(-not $HasKvm) {
        It 'returns nothing for a VM without tables' {
            $vm = New-KvmVm
            try {
                $vm | Get-KvmSpaprTce | Should -BeNullOrEmpty
            }
            finally {
                $vm | Remove-KvmVm -Confirm:$false
            }
        }
    }
}

Describe 'Get-KvmSpaprTceEntry' -Skip:(-not $HasTce) {
    BeforeAll {
        $vm = New-KvmVm
        $table = $vm | New-KvmSpaprTce -Liobn 0x20 -WindowSize 1MB
    }
    AfterAll { $vm | Remove-KvmVm -Confirm:$false }

    It 'decodes an entry by index and by I/O bus address' {
        $table | Set-KvmSpaprTceEntry -Index 3 -RealAddress 0x200000 -Read -Write | Out-Null
        $byIndex = $table | Get-KvmSpaprTceEntry -Index 3
        $byIndex.RealAddress | Should -Be 0x200000
        $byIndex.RealPageNumber | Should -Be 0x200
        $byIndex.Read | Should -BeTrue
        $byIndex.Write | Should -BeTrue
        ($table | Get-KvmSpaprTceEntry -IoBusAddress 0x3ABC).Index | Should -Be 3
    }

    It 'rejects an address outside the window' {
        { $table | Get-KvmSpaprTceEntry -IoBusAddress 0x100000 -ErrorAction Stop } |
            Should -Throw -ErrorId 'IoBusAddressOutsideWindow*'
    }

    It 'rejects an index past the end' {
        { $table | Get-KvmSpaprTceEntry -Index 256 -ErrorAction Stop } | Should -Throw -ErrorId 'TceIndexOutOfRange*'
    }
}

Describe 'Set-KvmSpaprTceEntry' -Skip:(-not $HasTce) {
    BeforeAll {
        $vm = New-KvmVm
        $table = $vm | New-KvmSpaprTce -Liobn 0x30 -WindowSize 1MB
    }
    AfterAll { $vm | Remove-KvmVm -Confirm:$false }

    It 'writes a raw value' {
        ($table | Set-KvmSpaprTceEntry -Index 1 -Value 0x5001).Value | Should -Be 0x5001
    }

    It 'refuses a real address that is not page aligned' {
        { $table | Set-KvmSpaprTceEntry -Index 1 -RealAddress 0x5800 -Read -ErrorAction Stop } |
            Should -Throw -ErrorId 'TceAddressNotAligned*'
    }
}

Describe 'Clear-KvmSpaprTce' -Skip:(-not $HasTce) {
    It 'zeroes every entry' {
        $vm = New-KvmVm
        try {
            $table = $vm | New-KvmSpaprTce -Liobn 0x40 -WindowSize 1MB
            $table | Set-KvmSpaprTceEntry -Index 7 -RealAddress 0x7000 -Read | Out-Null
            $table | Clear-KvmSpaprTce -Confirm:$false
            $table | Get-KvmSpaprTceEntry | Should -BeNullOrEmpty
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}

Describe 'Export-KvmSpaprTce' -Skip:(-not $HasTce) {
    It 'writes the header and one 8-byte value per entry' {
        $vm = New-KvmVm
        $path = Join-Path $TestDrive 'table.tce'
        try {
            $table = $vm | New-KvmSpaprTce -Liobn 0x50 -WindowSize 1MB
            $file = $table | Export-KvmSpaprTce -Path $path -Confirm:$false
            $file.Length | Should -Be (48 + 256 * 8)
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}

Describe 'Import-KvmSpaprTce' -Skip:(-not $HasTce) {
    BeforeAll {
        $vm = New-KvmVm
        $table = $vm | New-KvmSpaprTce -Liobn 0x60 -WindowSize 1MB
        $path = Join-Path $TestDrive 'table.tce'
    }
    AfterAll { $vm | Remove-KvmVm -Confirm:$false }

    It 'restores every entry after a clear' {
        0..9 | ForEach-Object { $table | Set-KvmSpaprTceEntry -Index $_ -RealAddress ($_ * 4KB) -Read -Write | Out-Null }
        $before = $table | Get-KvmSpaprTceEntry | ForEach-Object Value
        $table | Export-KvmSpaprTce -Path $path -Confirm:$false | Out-Null
        $table | Clear-KvmSpaprTce -Confirm:$false
        $table | Import-KvmSpaprTce -Path $path -Confirm:$false
        $table | Get-KvmSpaprTceEntry | ForEach-Object Value | Should -Be $before
    }

    It 'refuses the file of another table' {
        $other = $vm | New-KvmSpaprTce -Liobn 0x61 -WindowSize 1MB
        { $other | Import-KvmSpaprTce -Path $path -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'TceTableMismatch*'
    }
}

Describe 'Remove-KvmSpaprTce' -Skip:(-not $HasTce) {
    It 'frees the LIOBN for a new table' {
        $vm = New-KvmVm
        try {
            $vm | New-KvmSpaprTce -Liobn 0x70 -WindowSize 64KB | Remove-KvmSpaprTce -Confirm:$false
            $vm | Get-KvmSpaprTce | Should -BeNullOrEmpty
            ($vm | New-KvmSpaprTce -Liobn 0x70 -WindowSize 64KB).Liobn | Should -Be 0x70
        }
        finally {
            $vm | Remove-KvmVm -Confirm:$false
        }
    }
}
