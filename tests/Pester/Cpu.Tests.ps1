BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# CPUID, the x86 MP states and the PIT exist only in x86 KVM; these tests need /dev/kvm on an x86_64 host.

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

Describe 'Get-KvmSupportedCpuid' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        It 'returns leaf 0 and leaf 1 as CpuidEntry rows' {
            $all = @(Get-KvmSupportedCpuid)
            $all[0].GetType().FullName | Should -Be 'KvmPS.Kvm.X86.CpuidEntry'
            $all.Function | Should -Contain 0
            $all.Function | Should -Contain 1
        }

        It 'filters by leaf, in hex too' {
            $leaves = @(Get-KvmSupportedCpuid -Function 0x80000001, 1)
            $leaves.Function | Sort-Object -Unique | Should -Be @(1, 2147483649)   # PowerShell reads 0x80000001 as a negative Int32
        }

        It 'shows the registers in hexadecimal' {
            $text = Get-KvmSupportedCpuid -Function 0 | Format-Table | Out-String
            $text | Should -Match '0x[0-9A-F]{8}'
        }
    }
}

Describe 'Set-KvmCpuid' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        BeforeEach {
            $vm = New-KvmVm
            $vcpu0 = New-KvmVcpu -Vm $vm -Id 0
            $vcpu1 = New-KvmVcpu -Vm $vm -Id 1
        }

        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'takes the rows of Get-KvmSupportedCpuid from the pipeline' {
            Get-KvmSupportedCpuid | Set-KvmCpuid -Vcpu $vcpu0
            @(Get-KvmCpuid -Vcpu $vcpu0).Count | Should -Be @(Get-KvmSupportedCpuid).Count
        }

        It 'sets an edited leaf' {
            Get-KvmSupportedCpuid | ForEach-Object {
                if ($_.Function -eq 2147483650) { $_.Eax = 0x12345678 }
                $_
            } | Set-KvmCpuid -Vcpu $vcpu0
            (Get-KvmCpuid $vcpu0 | Where-Object Function -eq 2147483650).Eax | Should -Be 0x12345678
        }

        It 'without -Entry gives each vCPU its APIC id, the count and the hypervisor bit' {
            $vcpu0, $vcpu1 | ForEach-Object { Set-KvmCpuid -Vcpu $_ }
            $leaf1 = Get-KvmCpuid -Vcpu $vcpu1 | Where-Object Function -eq 1
            $leaf1.Ebx -shr 24 | Should -Be 1
            ($leaf1.Ebx -shr 16) -band 0xff | Should -Be 2
            $leaf1.Ecx -band 0x80000000 | Should -Not -Be 0
        }

        It 'is what a guest reads with CPUID' {
            # mov eax, 0x80000002 / cpuid / mov dx, 0x3f8 / out dx, eax / hlt  (real mode; 0x66 = 32-bit operand)
            $code = [byte[]](0x66, 0xB8, 0x02, 0x00, 0x00, 0x80, 0x0F, 0xA2, 0xBA, 0xF8, 0x03, 0x66, 0xEF, 0xF4)
            $vm | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB | Write-KvmGuestMemory -GuestAddress 0x1000 -Bytes $code
            Get-KvmSupportedCpuid | ForEach-Object {
                if ($_.Function -eq 2147483650) { $_.Eax = 0x4B564D50 }
                $_
            } | Set-KvmCpuid -Vcpu $vcpu0
            $vcpu0 | Set-KvmRegister -Values @{
                'cs.base' = 0; 'cs.selector' = 0; 'ds.base' = 0; 'ds.selector' = 0
                'es.base' = 0; 'es.selector' = 0; 'ss.base' = 0; 'ss.selector' = 0
                rip = 0x1000; rflags = 0x2; rsp = 0
            }
            $exit = Invoke-KvmVcpu -Vcpu $vcpu0 -ErrorAction Stop
            $exit.KernelName | Should -Be 'KVM_EXIT_IO'
            [BitConverter]::ToUInt32($exit.Data, 0) | Should -Be 0x4B564D50
        }

        It 'changes nothing with -WhatIf' {
            Set-KvmCpuid -Vcpu $vcpu0 -WhatIf
            @(Get-KvmCpuid -Vcpu $vcpu0).Count | Should -Be 0
        }

        It 'passes the vCPU through' {
            (Set-KvmCpuid -Vcpu $vcpu0 -PassThru) | Should -Be $vcpu0
        }
    }
}

Describe 'Get-KvmCpuid' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        It 'returns nothing before Set-KvmCpuid and the table after' {
            $vcpu = New-KvmVm | New-KvmVcpu
            @(Get-KvmCpuid -Vcpu $vcpu).Count | Should -Be 0
            Set-KvmCpuid -Vcpu $vcpu
            @($vcpu | Get-KvmCpuid).Function | Should -Contain 1
        }
    }
}

Describe 'Get-KvmMpState' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        It 'reads a fresh vCPU as Runnable' {
            New-KvmVm | New-KvmVcpu | Get-KvmMpState | Should -Be 'Runnable'
        }
    }
}

Describe 'Set-KvmMpState' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        It 'round-trips a state with the in-kernel irqchip' {
            $vm = New-KvmVm
            $vm.CreateIrqchip()
            $ap = New-KvmVcpu -Vm $vm -Id 1
            Get-KvmMpState $ap | Should -Be 'Uninitialized'
            Set-KvmMpState -Vcpu $ap -State Halted
            Get-KvmMpState $ap | Should -Be 'Halted'
        }

        It 'explains EINVAL without an irqchip' {
            $vcpu = New-KvmVm | New-KvmVcpu
            Set-KvmMpState -Vcpu $vcpu -State Halted -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'KVM_SET_MP_STATE.EINVAL*'
            $failed[0].ErrorDetails.RecommendedAction | Should -Match 'irqchip'
        }
    }
}

Describe 'New-KvmPit' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        It 'creates the PIT once' {
            $vm = New-KvmVm
            $vm.CreateIrqchip()
            $vm | New-KvmPit -SpeakerDummy -PassThru | Should -Be $vm
            $vm.HasPit | Should -BeTrue
            New-KvmPit -Vm $vm -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'KVM_CREATE_PIT2.EEXIST*'
        }
    }
}
