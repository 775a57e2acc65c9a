# ARM device addresses, VGIC device, vCPU init and register list. Real-host scenarios run on arm64 KVM; on other
# hosts (x86_64 CI) the always-running contexts check the clear "not supported" errors.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ArmKvm = $HasKvm -and (Test-KvmCapability -Name ArmPsci02)
    $script:ArmLegacy = $HasKvm -and (Test-KvmCapability -Name ArmSetDeviceAddr)
    $script:OneReg = $HasKvm -and (Test-KvmCapability -Name OneReg)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Set-KvmArmDeviceAddress' {
    BeforeEach {
        if ($HasKvm) { $vm = New-KvmVm }
    }
    AfterEach {
        if ($vm) { Remove-KvmVm -Vm $vm -Confirm:$false }
    }

    Context 'on an arm64 host' -Skip:(-not $ArmKvm) {
        It 'places the VGICv3 distributor and redistributor through device attributes' {
            New-KvmVcpu -Vm $vm | Out-Null
            $dist = $vm | Set-KvmArmDeviceAddress -Device VgicV3 -AddressType Distributor -Address 0x08000000
            $dist.Method | Should -Be 'DeviceAttribute'
            $dist.KernelAddressType | Should -Be 'KVM_VGIC_V3_ADDR_TYPE_DIST'
            $redist = Set-KvmArmDeviceAddress -Vm $vm -Device VgicV3 -AddressType Redistributor -Address 0x080A0000
            $redist.Size | Should -Be 0x20000
        }

        It 'refuses the same frame twice as address already set' {
            Set-KvmArmDeviceAddress -Vm $vm -Device VgicV3 -AddressType Distributor -Address 0x08000000 | Out-Null
            { Set-KvmArmDeviceAddress -Vm $vm -Device VgicV3 -AddressType Distributor -Address 0x09000000 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ArmDeviceAddressAlreadySet*'
        }

        It 'refuses a VGICv3 base that is not 64 KiB aligned' {
            { Set-KvmArmDeviceAddress -Vm $vm -Device VgicV3 -AddressType Distributor -Address 0x08001000 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ArmDeviceAddressMisaligned*'
        }

        It 'refuses VGICv3 frames on the legacy ioctl' {
            { Set-KvmArmDeviceAddress -Vm $vm -Device VgicV3 -AddressType Distributor -Address 0x08000000 -Method Legacy -ErrorAction Stop } |
                Should -Throw -ErrorId 'ArmVgicV3NeedsDeviceAttribute*'
        }
    }

    Context 'on an arm64 host with the legacy ioctl and GICv2 emulation' -Skip:(-not $ArmLegacy) {
        It 'sets the VGICv2 distributor with KVM_ARM_SET_DEVICE_ADDR' {
            try {
                New-KvmArmVgic -Vm $vm -Device VgicV2 -ErrorAction Stop | Out-Null
            }
            catch {
                Set-ItResult -Skipped -Because "this host cannot emulate a GICv2: $($_.Exception.Message)"
                return
            }
            $result = Set-KvmArmDeviceAddress -Vm $vm -Id 0x0 -Address 0x08000000 -Method Legacy
            $result.Method | Should -Be 'Legacy'
            $result.Id | Should -Be 0
        }
    }

    Context 'on a host without ARM KVM' -Skip:((-not $HasKvm) -or $ArmLegacy) {
        It 'says the legacy ioctl is not supported on this host' {
            { Set-KvmArmDeviceAddress -Vm $vm -Device VgicV2 -AddressType Distributor -Address 0x08000000 -Method Legacy -ErrorAction Stop } |
                Should -Throw -ErrorId 'KVM_CAP_ARM_SET_DEVICE_ADDR.NotSupported*'
        }

        It 'says so with -Method Auto as well' {
            { $vm | Set-KvmArmDeviceAddress -Device VgicV2 -AddressType CpuInterface -Address 0x08010000 -ErrorAction Stop } |
                Should -Throw -ErrorId 'KVM_CAP_ARM_SET_DEVICE_ADDR.NotSupported*'
        }
    }

    Context 'argument checks' -Skip:(-not $HasKvm) {
        It 'refuses an id with bits 63..32 set before any ioctl' {
            { Set-KvmArmDeviceAddress -Vm $vm -Id 0x100000000 -Address 0x08000000 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ArmDeviceIdReservedBits*'
        }

        It 'refuses a frame the device does not have' {
            { Set-KvmArmDeviceAddress -Vm $vm -Device VgicV2 -AddressType Redistributor -Address 0x08000000 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ArmAddressTypeNotOnDevice*'
        }
    }
}

Describe 'New-KvmArmVgic' {
    BeforeEach {
        if ($HasKvm) { $vm = New-KvmVm }
    }
    AfterEach {
        if ($vm) { Remove-KvmVm -Vm $vm -Confirm:$false }
    }

    Context 'on an arm64 host' -Skip:(-not $ArmKvm) {
        It 'creates a VGICv3 device and refuses a second interrupt controller' {
            $gic = $vm | New-KvmArmVgic -Device VgicV3
            $gic.TypeName | Should -Be 'KVM_DEV_TYPE_ARM_VGIC_V3'
            { New-KvmArmVgic -Vm $vm -Device VgicV3 -ErrorAction Stop } | Should -Throw -ErrorId 'ArmIrqchipExists*'
        }
    }

    Context 'on a host without ARM KVM' -Skip:((-not $HasKvm) -or $ArmKvm) {
        It 'says the VGIC device is not supported on this host' {
            { New-KvmArmVgic -Vm $vm -Device VgicV3 -ErrorAction Stop } | Should -Throw -ErrorId 'KVM_DEV_TYPE_ARM_VGIC_V3.NotSupported*'
        }
    }
}

Describe 'Get-KvmArmPreferredTarget' {
    BeforeEach {
        if ($HasKvm) { $vm = New-KvmVm }
    }
    AfterEach {
        if ($vm) { Remove-KvmVm -Vm $vm -Confirm:$false }
    }

    Context 'on an arm64 host' -Skip:(-not $ArmKvm) {
        It 'returns a KVM_ARM_TARGET_* target' {
            $target = $vm | Get-KvmArmPreferredTarget
            $target.TargetName | Should -BeLike 'KVM_ARM_TARGET_*'
        }
    }

    Context 'on a host without ARM KVM' -Skip:((-not $HasKvm) -or $ArmKvm) {
        It 'says the ioctl does not exist on this architecture' {
            { Get-KvmArmPreferredTarget -Vm $vm -ErrorAction Stop } | Should -Throw -ErrorId 'KVM_ARM_PREFERRED_TARGET.NotDefinedOnArchitecture*'
        }
    }
}

Describe 'Initialize-KvmArmVcpu' {
    BeforeEach {
        if ($HasKvm) {
            $vm = New-KvmVm
            $vcpu = New-KvmVcpu -Vm $vm
        }
    }
    AfterEach {
        if ($vm) { Remove-KvmVm -Vm $vm -Confirm:$false }
    }

    Context 'on an arm64 host' -Skip:(-not $ArmKvm) {
        It 'initialises the vCPU with the preferred target and PSCI 0.2' {
            $result = $vcpu | Initialize-KvmArmVcpu -Feature Psci02
            $result.Features | Should -Contain 'Psci02'
            $result.Target | Should -Be (Get-KvmArmPreferredTarget -Vm $vm).Target
        }
    }

    Context 'on a host without ARM KVM' -Skip:((-not $HasKvm) -or $ArmKvm) {
        It 'says the ioctl does not exist on this architecture' {
            { Initialize-KvmArmVcpu -Vcpu $vcpu -ErrorAction Stop } | Should -Throw -ErrorId 'KVM_ARM_VCPU_INIT.NotDefinedOnArchitecture*'
        }
    }
}

Describe 'Get-KvmRegisterList' {
    BeforeEach {
        if ($HasKvm) {
            $vm = New-KvmVm
            $vcpu = New-KvmVcpu -Vm $vm
        }
    }
    AfterEach {
        if ($vm) { Remove-KvmVm -Vm $vm -Confirm:$false }
    }

    Context 'on an arm64 host' -Skip:(-not ($ArmKvm -and $OneReg)) {
        It 'lists core registers of an initialised vCPU' {
            $vcpu | Initialize-KvmArmVcpu -Feature Psci02 | Out-Null
            $registers = Get-KvmRegisterList -Vcpu $vcpu
            $registers.Count | Should -BeGreaterThan 0
            ($registers | Where-Object Group -eq 'Core').Name | Should -Contain 'pc'
        }

        It 'explains that an uninitialised vCPU has no list yet' {
            { Get-KvmRegisterList -Vcpu $vcpu -ErrorAction Stop } | Should -Throw -ErrorId 'KVM_GET_REG_LIST.ENOEXEC*'
        }
    }

    Context 'on a host with ONE_REG but not ARM' -Skip:((-not $OneReg) -or $ArmKvm) {
        It 'lists the ids the kernel reports, or explains why it cannot' {
            try {
                $registers = @(Get-KvmRegisterList -Vcpu $vcpu -ErrorAction Stop)
                $registers | ForEach-Object { $_.SizeBytes | Should -BeGreaterThan 0 }
            }
            catch {
                $_.FullyQualifiedErrorId | Should -BeLike 'KVM_GET_REG_LIST.*'
            }
        }
    }

    Context 'on a host without ONE_REG' -Skip:((-not $HasKvm) -or $OneReg) {
        It 'says ONE_REG is not supported on this host' {
            { Get-KvmRegisterList -Vcpu $vcpu -ErrorAction Stop } | Should -Throw -ErrorId 'KVM_CAP_ONE_REG.NotSupported*'
        }
    }
}
