BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

BeforeDiscovery {
    $IsX64 = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'X64'
    # The PIC/IOAPIC irqchip, KVM_INTERRUPT and the TSC exist only in x86 KVM; these tests need /dev/kvm on an x86_64 host.
    $CanRunX86 = $HasKvm -and $IsX64
}

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

Describe 'New-KvmIrqchip' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'creates the irqchip once, before the vCPUs' {
            $vm = New-KvmVm
            $vm | New-KvmIrqchip -PassThru | Should -Be $vm
            $vm.HasIrqchip | Should -BeTrue
            $vm | New-KvmIrqchip -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'IrqchipExists*'
        }

        It 'refuses an irqchip after vCPUs, with what to do' {
            $vm = New-KvmVm
            $null = $vm | New-KvmVcpu
            $vm | New-KvmIrqchip -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'IrqchipAfterVcpus*'
            $failed[0].ErrorDetails.RecommendedAction | Should -Match 'New-KvmIrqchip'
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
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'raises and lowers a GSI and reports the status where the host can' {
            $vm = New-KvmVm
            $vm | New-KvmIrqchip
            $raised = $vm | Set-KvmIrqLine -Gsi 4 -Level $true
            $raised.Gsi | Should -Be 4
            $raised.Level | Should -BeTrue
            if ((Get-KvmCapability -Name KVM_CAP_IRQ_INJECT_STATUS).Value -gt 0) { $raised.Status | Should -Not -BeNullOrEmpty }
            ($vm | Set-KvmIrqLine -Gsi 4 -Level $false).Level | Should -BeFalse
        }

        It 'says to create an irqchip first' {
            $vm = New-KvmVm
            $vm | Set-KvmIrqLine -Gsi 4 -Level $true -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'NoIrqchip*'
        }
    }
}

Describe 'Get-KvmIrqchip' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        BeforeEach {
            $vm = New-KvmVm
            $vm | New-KvmIrqchip
        }
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

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
            $vm = New-KvmVm
            $vm | New-KvmIrqchip
        }
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

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
