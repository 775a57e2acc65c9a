BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

BeforeDiscovery {
    $NoKvmDevice = -not (Test-Path -LiteralPath '/dev/kvm')
}

Describe 'Get-KvmHost' {
    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        BeforeAll {
            $script:HostInfo = Get-KvmHost -ErrorAction Stop
        }

        It 'returns one KvmHostInfo' {
            @($HostInfo).Count | Should -Be 1
            $HostInfo.GetType().FullName | Should -Be 'KvmPS.Kvm.KvmHostInfo'
        }

        It 'reports API version 12 and the default device' {
            $HostInfo.ApiVersion | Should -Be 12
            $HostInfo.DevicePath | Should -Be '/dev/kvm'
        }

        It 'reports the architecture of this process in uname -m spelling' {
            $expected = switch ([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString()) {
                'X64' { 'x86_64' }
                'Arm64' { 'aarch64' }
                'Ppc64le' { 'powerpc64le' }
                'S390x' { 's390x' }
            }
            $HostInfo.Architecture | Should -Be $expected
        }

        It 'reports the host page size and positive limits' {
            $HostInfo.PageSize | Should -Be ([System.Environment]::SystemPageSize)
            $HostInfo.VcpuMmapSize | Should -BeGreaterThan 0
            $HostInfo.RecommendedVcpus | Should -BeGreaterThan 0
            $HostInfo.MaxVcpus | Should -BeGreaterOrEqual $HostInfo.RecommendedVcpus
            $HostInfo.MaxMemorySlots | Should -BeGreaterThan 0
        }
    }

    Context 'on a host without /dev/kvm' -Skip:(-not $NoKvmDevice) {
        It 'fails with KvmDeviceNotFound and says how to load KVM' {
            $failure = { Get-KvmHost -ErrorAction Stop } | Should -Throw -ErrorId 'KvmDeviceNotFound*' -PassThru
            $failure.Exception.Message | Should -BeLike '*modprobe*'
        }
    }
}

Describe 'Test-KvmHost' {
    It 'reports the five checks in order' {
        $results = @(Test-KvmHost)
        $results.Check | Should -Be @('Device', 'ApiVersion', 'Capabilities', 'CreateVm', 'GuestBoot')
        $results | ForEach-Object { $_.GetType().FullName | Should -Be 'KvmPS.Kvm.HostCheckResult' }
    }

    It 'fails the Device check for a missing device and skips the rest' {
        $results = @(Test-KvmHost -DevicePath '/nonexistent/kvm')
        $results.Count | Should -Be 5
        $results[0].Check | Should -Be 'Device'
        $results[0].Status.ToString() | Should -Be 'Failed'
        $results[0].Passed | Should -BeFalse
        $results[0].Detail | Should -BeLike '*/nonexistent/kvm does not exist*'
        $results | Select-Object -Skip 1 | ForEach-Object { $_.Status.ToString() | Should -Be 'Skipped' }
    }

    It 'returns only $false with -Quiet when a check fails' {
        $quiet = Test-KvmHost -DevicePath '/nonexistent/kvm' -Quiet
        $quiet | Should -BeOfType ([bool])
        $quiet | Should -BeFalse
    }

    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        It 'passes with -Quiet' {
            Test-KvmHost -Quiet | Should -BeTrue
        }

        It 'passes every check but GuestBoot, which depends on the architecture' {
            $results = @(Test-KvmHost)
            $results | Where-Object Check -ne 'GuestBoot' | ForEach-Object { $_.Status.ToString() | Should -Be 'Passed' }
        }

        It 'leaves no VM in the session' {
            $null = Test-KvmHost
            Get-KvmVm | Should -BeNullOrEmpty
        }
    }

    Context 'on an x86_64 host with KVM' -Skip:(-not ($HasKvm -and $IsX64)) {
        It 'boots the embedded guest, which prints its line and halts' {
            $boot = Test-KvmHost | Where-Object Check -eq 'GuestBoot'
            $boot.Status.ToString() | Should -Be 'Passed'
            $boot.Detail | Should -BeLike "*'KvmPS guest OK'*KVM_EXIT_HLT*"
        }
    }
}

Describe 'Get-KvmIoctl' {
    Context 'with any host' {
        It 'lists every api.txt section 4 ioctl and every declared one, with section, type and cmdlet' {
            $all = @(Get-KvmIoctl)
            $all.Count | Should -BeGreaterThan 130
            $run = $all | Where-Object Name -eq 'KVM_RUN'
            $run.Section | Should -Be '4.10'
            $run.Type | Should -Be 'vcpu'
            $run.Declared | Should -BeTrue
            $run.Cmdlet | Should -Match 'Invoke-KvmVcpu'
            $run.GetType().FullName | Should -Be 'KvmPS.Kvm.Inventory.KvmIoctlInfo'
            ($all | Where-Object Name -eq 'VFIO_SET_IOMMU').Type | Should -Be 'vfio container'
        }

        It 'says what replaced a removed ioctl asked for by name' {
            $row = Get-KvmIoctl -Name KVM_SET_MEMORY_REGION -WarningVariable warned -WarningAction SilentlyContinue
            $row.Removed | Should -BeTrue
            $row.ReplacedBy | Should -Be 'KVM_SET_USER_MEMORY_REGION'
            $row.SupportedOnHost | Should -BeFalse
            "$warned" | Should -Match 'KVM_SET_MEMORY_REGION \(api.txt 4.6\) has been removed from KVM; use KVM_SET_USER_MEMORY_REGION'
        }

        It 'lists only the removed ioctls with -Removed, the pre-VFIO device assignment among them' {
            $removed = @(Get-KvmIoctl -Removed)
            $removed.Removed | Should -Not -Contain $false
            ($removed | Where-Object Name -eq 'KVM_DEBUG_GUEST').ReplacedBy | Should -Be 'KVM_SET_GUEST_DEBUG'
            ($removed | Where-Object Name -eq 'KVM_ASSIGN_PCI_DEVICE').ReplacedBy | Should -Match 'VFIO'
            ($removed | Where-Object Name -eq 'KVM_CREATE_PIT').ReplacedBy | Should -Be 'KVM_CREATE_PIT2'
        }

        It 'matches names with wildcards and refuses an unknown literal name' {
            @(Get-KvmIoctl -Name 'kvm_s390_ucas_*').Name | Should -Be @('KVM_S390_UCAS_MAP', 'KVM_S390_UCAS_UNMAP')
            { Get-KvmIoctl -Name KVM_NO_SUCH_IOCTL -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownIoctl*'
        }
    }

    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        It 'reports what this host supports from its capabilities and architecture' {
            $supported = @(Get-KvmIoctl -Supported)
            $supported.Name | Should -Contain 'KVM_CREATE_VM'
            $supported.Name | Should -Contain 'KVM_RUN'
            $supported.Name | Should -Not -Contain 'KVM_S390_UCAS_MAP'
            (Get-KvmIoctl -Name KVM_RUN).Number | Should -Be 0xAE80
        }
    }
}

Describe 'Get-KvmCapability' {
    Context 'with any host' {
        It 'fails with UnknownCapability for a literal name it does not know' {
            { Get-KvmCapability -Name 'NoSuchCapability' -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownCapability*'
        }
    }

    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'lists every known capability with its kernel name and number' {
            $all = @(Get-KvmCapability)
            $all.Count | Should -BeGreaterThan 100
            $userMemory = $all | Where-Object KernelName -eq 'KVM_CAP_USER_MEMORY'
            $userMemory.Name.ToString() | Should -Be 'UserMemory'
            $userMemory.Number | Should -Be 3
            $userMemory.Supported | Should -BeTrue
            $userMemory.GetType().FullName | Should -Be 'KvmPS.Kvm.KvmCapabilityInfo'
        }

        It 'knows the capabilities kernels after the 6.1 headers added, up to KVM_CAP_GUEST_MEMFD_FLAGS (244)' {
            $memfd = Get-KvmCapability -Name KVM_CAP_GUEST_MEMFD
            $memfd.Number | Should -Be 234
            $memfd.Name.ToString() | Should -Be 'GuestMemfd'
            (Get-KvmCapability -Name GuestMemfdFlags).Number | Should -Be 244
        }

        It 'finds a capability by readable or kernel name, case-insensitively' {
            (Get-KvmCapability -Name 'usermemory').KernelName | Should -Be 'KVM_CAP_USER_MEMORY'
            (Get-KvmCapability -Name 'kvm_cap_user_memory').Name.ToString() | Should -Be 'UserMemory'
        }

        It 'matches kernel names with wildcards' {
            $matched = @(Get-KvmCapability -Name 'KVM_CAP_NR_*')
            $matched.KernelName | Should -Contain 'KVM_CAP_NR_VCPUS'
            $matched.KernelName | Should -Contain 'KVM_CAP_NR_MEMSLOTS'
            $matched | ForEach-Object { $_.KernelName | Should -BeLike 'KVM_CAP_NR_*' }
        }

        It 'matches readable names with wildcards' {
            $matched = @(Get-KvmCapability -Name 'NrMem?lots', 'MaxVcpu*')
            $matched.KernelName | Should -Contain 'KVM_CAP_NR_MEMSLOTS'
            $matched.KernelName | Should -Contain 'KVM_CAP_MAX_VCPUS'
        }

        It 'returns nothing, without error, for a wildcard that matches nothing' {
            Get-KvmCapability -Name 'NoSuchCapability*' -ErrorAction Stop | Should -BeNullOrEmpty
        }

        It 'lists only supported capabilities with -Supported' {
            $all = @(Get-KvmCapability)
            $supported = @(Get-KvmCapability -Supported)
            $supported.Count | Should -BeGreaterThan 0
            $supported.Count | Should -BeLessThan $all.Count
            $supported | ForEach-Object { $_.Supported | Should -BeTrue; $_.Value | Should -BeGreaterThan 0 }
            $supported.KernelName | Should -Contain 'KVM_CAP_USER_MEMORY'
        }

        It 'reports the memory slot count as the value of KVM_CAP_NR_MEMSLOTS' {
            (Get-KvmCapability -Name NrMemslots).Value | Should -Be (Get-KvmHost).MaxMemorySlots
        }

        It 'asks a piped VM' {
            $vm = New-KvmVm
            $answer = $vm | Get-KvmCapability -Name UserMemory
            $answer.Supported | Should -BeTrue
        }
    }
}

Describe 'Test-KvmCapability' {
    Context 'with any host' {
        It 'fails with UnknownCapability for a name it does not know' {
            { Test-KvmCapability -Name 'NoSuchCapability' -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownCapability*'
        }

        It 'names the accepted forms in the UnknownCapability message' {
            $failure = { Test-KvmCapability -Name 'NoSuchCapability' -ErrorAction Stop } | Should -Throw -PassThru
            $failure.Exception.Message | Should -BeLike "*'NoSuchCapability'*KVM_CAP_*"
        }
    }

    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'returns $true for a capability every KVM host has, by any name' {
            Test-KvmCapability -Name UserMemory | Should -BeTrue
            Test-KvmCapability -Name KVM_CAP_USER_MEMORY | Should -BeTrue
            Test-KvmCapability -Name 3 | Should -BeTrue
        }

        It 'returns a Boolean' {
            Test-KvmCapability -Name UserMemory | Should -BeOfType ([bool])
        }

        It 'agrees with Get-KvmCapability' {
            foreach ($info in Get-KvmCapability -Name 'KVM_CAP_S390_*', 'KVM_CAP_NR_*') {
                Test-KvmCapability -Name $info.KernelName | Should -Be $info.Supported
            }
        }

        It 'asks a piped VM' {
            $vm = New-KvmVm
            $vm | Test-KvmCapability -Name NrMemslots | Should -BeTrue
        }
    }
}
