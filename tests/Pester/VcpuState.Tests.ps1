BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# MSRs, the x86 state structs and the local APIC exist only in x86 KVM; these tests need /dev/kvm on an x86_64 host.

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

Describe 'Get-KvmMsrIndexList' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        It 'lists the SYSENTER MSRs by number and name' {
            $list = @(Get-KvmMsrIndexList)
            $list[0].GetType().FullName | Should -Be 'KvmPS.Kvm.X86.MsrIndex'
            ($list | Where-Object Index -eq 0x174).Name | Should -Be 'IA32_SYSENTER_CS'
            (Get-KvmMsrIndexList | Format-Table | Out-String) | Should -Match '0x174'
        }

        It 'lists the feature MSRs with -Feature where the host has KVM_CAP_GET_MSR_FEATURES' {
            if (-not (Test-KvmCapability -Name GetMsrFeatures)) {
                Set-ItResult -Skipped -Because 'this host lacks KVM_CAP_GET_MSR_FEATURES'
                return
            }
            @(Get-KvmMsrIndexList -Feature).Count | Should -BeGreaterThan 0
        }
    }
}

Describe 'Get-KvmMsr' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        BeforeAll { $vcpu = New-KvmVcpu -Vm (New-KvmVm) }

        It 'reads every listed MSR that reads when given none' {
            $all = @(Get-KvmMsr -Vcpu $vcpu)
            $all.Count | Should -BeGreaterThan 5
            $all.Index | Should -Contain 0x174
        }

        It 'reads by name and by hex number' {
            (Get-KvmMsr -Vcpu $vcpu -Name IA32_SYSENTER_CS).Index | Should -Be 0x174
            (Get-KvmMsr $vcpu '0x10').Name | Should -Be 'IA32_TSC'
        }

        It 'refuses an unknown name clearly' {
            { Get-KvmMsr -Vcpu $vcpu -Name NOPE -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownMsrName*'
        }
    }
}

Describe 'Set-KvmMsr' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        BeforeAll { $vcpu = New-KvmVcpu -Vm (New-KvmVm) }

        It 'sets by name, and a guest reads the value with RDMSR' {
            $vm = New-KvmVm
            # mov ecx, 0x174 ; rdmsr ; mov dx, 0x3f8 ; out dx, eax ; hlt   (real mode)
            New-KvmMemoryRegion -Vm $vm -GuestAddress 0x1000 -Size 0x1000 | Out-Null
            Write-KvmGuestMemory -Vm $vm -GuestAddress 0x1000 -Bytes ([byte[]](0x66, 0xB9, 0x74, 0x01, 0x00, 0x00, 0x0F, 0x32, 0xBA, 0xF8, 0x03, 0x66, 0xEF, 0xF4))
            $guest = New-KvmVcpu -Vm $vm
            Set-KvmRegister -Vcpu $guest -Values @{ 'cs.base' = 0; 'cs.selector' = 0; 'ds.base' = 0; 'ds.selector' = 0; 'es.base' = 0; 'es.selector' = 0; 'ss.base' = 0; 'ss.selector' = 0; rip = 0x1000; rflags = 2; rsp = 0 }
            Set-KvmMsr -Vcpu $guest -Name IA32_SYSENTER_CS -Value 0x4B56
            $exit = Invoke-KvmVcpu -Vcpu $guest
            [BitConverter]::ToUInt32($exit.Data, 0) | Should -Be 0x4B56
        }

        It 'takes rows of Get-KvmMsr from the pipeline' {
            Set-KvmMsr -Vcpu $vcpu -Index 0x175 -Value 0x1000
            $other = New-KvmVcpu -Vm (New-KvmVm)
            Get-KvmMsr -Vcpu $vcpu -Index 0x175 | Set-KvmMsr -Vcpu $other
            (Get-KvmMsr -Vcpu $other -Index 0x175).Value | Should -Be 0x1000
        }

        It 'names the MSR KVM refused' {
            { Set-KvmMsr -Vcpu $vcpu -Index 0x175 -Value 0x8000000000000000 -ErrorAction Stop } | Should -Not -Throw
            { Set-KvmMsr -Vcpu $vcpu -Name IA32_EFER -Value 0x8000000000000000 -ErrorAction Stop } | Should -Throw -ErrorId 'MsrRefused*'
        }

        It 'changes nothing with -WhatIf' {
            Set-KvmMsr -Vcpu $vcpu -Index 0x176 -Value 0x55
            Set-KvmMsr -Vcpu $vcpu -Index 0x176 -Value 0x66 -WhatIf
            (Get-KvmMsr -Vcpu $vcpu -Index 0x176).Value | Should -Be 0x55
        }
    }
}

Describe 'Set-KvmMsrFilter' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'stops a guest RDMSR of a denied MSR for Invoke-KvmVcpu -MsrData to answer' -Skip:(-not (Test-KvmCapability X86MsrFilter)) {
            $vm = New-KvmVm
            $vm | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB | Write-KvmGuestMemory -GuestAddress 0x1000 -Bytes ([byte[]](0x66, 0xb9, 0x74, 0x01, 0x00, 0x00, 0x0f, 0x32, 0xe6, 0xe0, 0xf4))
            $vcpu = $vm | New-KvmVcpu
            $vcpu | Set-KvmRegister -Values @{ 'cs.base' = 0; 'cs.selector' = 0; rip = 0x1000 }
            Set-KvmMsrFilter -Vm $vm -Deny 0x174 -Access Read -ExitToUserSpace -PassThru | Should -Be $vm
            $exit = Invoke-KvmVcpu -Vcpu $vcpu
            $exit.Reason.ToString() | Should -Be 'X86Rdmsr'
            $exit.Index | Should -Be 0x174
            $report = Invoke-KvmVcpu -Vcpu $vcpu -MsrData 0x5a
            $report.Port | Should -Be 0xe0
            $report.Data[0] | Should -Be 0x5a
        }

        It 'refuses more than 16 ranges before the ioctl and changes nothing with -WhatIf' -Skip:(-not (Test-KvmCapability X86MsrFilter)) {
            $vm = New-KvmVm
            { Set-KvmMsrFilter -Vm $vm -Deny (1..17) -ErrorAction Stop } | Should -Throw -ErrorId 'TooManyMsrFilterRanges*'
            Set-KvmMsrFilter -Vm $vm -Deny 0x174 -WhatIf
        }
    }
}

Describe 'Get-KvmLapic' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        It 'shows the register view of a VM with the in-kernel irqchip' {
            $vm = New-KvmVm
            $vm.CreateIrqchip()
            $lapic = Get-KvmLapic -Vcpu (New-KvmVcpu -Vm $vm)
            $lapic.Bytes.Length | Should -Be 1024
            $lapic.Version -band 0xff | Should -BeGreaterThan 0
            ($lapic | Format-List | Out-String) | Should -Match 'LvtTimer\s*:\s*0x'
        }

        It 'says the irqchip is missing without one' {
            { Get-KvmLapic -Vcpu (New-KvmVcpu -Vm (New-KvmVm)) -ErrorAction Stop } | Should -Throw -ErrorId 'NoIrqchip*'
        }
    }
}

Describe 'Get-KvmVcpuState' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        It 'captures registers, MSRs and the state structs' {
            $state = Get-KvmVcpuState -Vcpu (New-KvmVcpu -Vm (New-KvmVm))
            $state.Regs['rip'] | Should -Be 0xfff0
            $state.Sregs['cs.base'] | Should -Be 4294901760   # 0xffff0000; PowerShell reads that literal as a negative Int32
            $state.Msrs.Count | Should -BeGreaterThan 5
            $state.Fpu.Fields['fcw'] | Should -Be 0x37f
            $state.Lapic | Should -BeNullOrEmpty
        }
    }
}

Describe 'Set-KvmVcpuState' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        It 'restores a captured state into another vCPU' {
            $source = New-KvmVcpu -Vm (New-KvmVm)
            Set-KvmRegister -Vcpu $source -Name rax -Value 0x1234
            Set-KvmMsr -Vcpu $source -Index 0x174 -Value 0x77
            $state = Get-KvmVcpuState -Vcpu $source
            $target = New-KvmVcpu -Vm (New-KvmVm)
            Set-KvmVcpuState -Vcpu $target -State $state
            (Get-KvmRegister -Vcpu $target -Name rax).Value | Should -Be 0x1234
            (Get-KvmMsr -Vcpu $target -Index 0x174).Value | Should -Be 0x77
        }

        It 'changes nothing with -WhatIf' {
            $source = New-KvmVcpu -Vm (New-KvmVm)
            Set-KvmRegister -Vcpu $source -Name rax -Value 0x99
            $target = New-KvmVcpu -Vm (New-KvmVm)
            Get-KvmVcpuState -Vcpu $source | Set-KvmVcpuState -Vcpu $target -WhatIf
            (Get-KvmRegister -Vcpu $target -Name rax).Value | Should -Be 0
        }
    }
}

Describe 'Export-KvmVcpuState' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        It 'writes JSON that ConvertFrom-Json reads' {
            $path = Join-Path $TestDrive 'vcpu.json'
            $file = Export-KvmVcpuState -Vcpu (New-KvmVcpu -Vm (New-KvmVm)) -Path $path
            $file.FullName | Should -Be $path
            $json = Get-Content $path -Raw | ConvertFrom-Json
            $json.Format | Should -Be 'KvmPS.VcpuState/1'
            $json.Regs.rip | Should -Be 0xfff0
            [Convert]::FromBase64String($json.Fpu.Bytes).Length | Should -Be 416
            $json.Fpu.Fields.fcw | Should -Be 0x37f
            ($json.Msrs | Where-Object Index -eq 0x174).Name | Should -Be 'IA32_SYSENTER_CS'
        }
    }
}

Describe 'Import-KvmVcpuState' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        It 'resumes a counting guest in a new VM where it stopped' {
            # mov cx, 0 ; l: inc cx ; mov ax, cx ; mov dx, 0x3f8 ; out dx, ax ; cmp cx, 10 ; jne l ; hlt
            $code = [byte[]](0xB9, 0x00, 0x00, 0x41, 0x89, 0xC8, 0xBA, 0xF8, 0x03, 0xEF, 0x83, 0xF9, 0x0A, 0x75, 0xF4, 0xF4)
            $vm = New-KvmVm
            New-KvmMemoryRegion -Vm $vm -GuestAddress 0 -Size 0x10000 | Out-Null
            Write-KvmGuestMemory -Vm $vm -GuestAddress 0x1000 -Bytes $code
            $vcpu = New-KvmVcpu -Vm $vm
            Set-KvmRegister -Vcpu $vcpu -Values @{ 'cs.base' = 0; 'cs.selector' = 0; 'ds.base' = 0; 'ds.selector' = 0; 'es.base' = 0; 'es.selector' = 0; 'ss.base' = 0; 'ss.selector' = 0; rip = 0x1000; rflags = 2; rsp = 0 }
            $seen = 1..3 | ForEach-Object { [BitConverter]::ToUInt16((Invoke-KvmVcpu -Vcpu $vcpu).Data, 0) }
            $path = Join-Path $TestDrive 'counter.json'
            Export-KvmVcpuState -Vcpu $vcpu -Path $path | Out-Null

            $copy = New-KvmVm
            New-KvmMemoryRegion -Vm $copy -GuestAddress 0 -Size 0x10000 | Out-Null
            Write-KvmGuestMemory -Vm $copy -GuestAddress 0 -Bytes (Read-KvmGuestMemory -Vm $vm -GuestAddress 0 -Length 0x10000)
            $resumed = New-KvmVcpu -Vm $copy
            Import-KvmVcpuState -Vcpu $resumed -Path $path
            $rest = 4..10 | ForEach-Object { [BitConverter]::ToUInt16((Invoke-KvmVcpu -Vcpu $resumed).Data, 0) }
            @($seen) + @($rest) | Should -Be (1..10)
            (Invoke-KvmVcpu -Vcpu $resumed).Reason | Should -Be 'Hlt'
        }

        It 'refuses a file that is not a vCPU state' {
            $path = Join-Path $TestDrive 'other.json'
            '{"Format":"other"}' | Set-Content $path
            { Import-KvmVcpuState -Vcpu (New-KvmVcpu -Vm (New-KvmVm)) -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidVcpuStateFile*'
        }
    }
}

Describe 'Get-KvmVcpuStateBlock' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        BeforeAll { $vcpu = New-KvmVcpu -Vm (New-KvmVm) }

        It 'reads each struct <_> with its bytes' -ForEach @('Fpu', 'Xsave', 'Xcrs', 'Events', 'DebugRegisters') {
            $capability = @{ Fpu = $null; Xsave = 'Xsave'; Xcrs = 'Xcrs'; Events = 'VcpuEvents'; DebugRegisters = 'Debugregs' }[$_]
            if ($capability -and -not (Test-KvmCapability -Name $capability)) {
                Set-ItResult -Skipped -Because "this host lacks KVM_CAP_$($capability.ToUpperInvariant())"
                return
            }
            $block = Get-KvmVcpuStateBlock -Vcpu $vcpu -Kind $_
            $block.GetType().FullName | Should -Be 'KvmPS.Kvm.X86.VcpuStateBlock'
            $block.Bytes.Length | Should -BeGreaterThan 0
        }

        It 'shows the FPU control word among the fields' {
            (Get-KvmVcpuStateBlock -Vcpu $vcpu -Kind Fpu).Fields['fcw'] | Should -Be 0x37f
        }
    }
}

Describe 'Set-KvmVcpuStateBlock' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        BeforeAll { $vcpu = New-KvmVcpu -Vm (New-KvmVm) }

        It 'writes a changed debug register back' {
            if (-not (Test-KvmCapability -Name Debugregs)) {
                Set-ItResult -Skipped -Because 'this host lacks KVM_CAP_DEBUGREGS'
                return
            }
            $dr = Get-KvmVcpuStateBlock -Vcpu $vcpu -Kind DebugRegisters
            $dr.With('db[0]', 0x1000).With('dr7', 0x401) | Set-KvmVcpuStateBlock -Vcpu $vcpu
            $back = Get-KvmVcpuStateBlock -Vcpu $vcpu -Kind DebugRegisters
            $back.Fields['db[0]'] | Should -Be 0x1000
            $back.Fields['dr7'] | Should -Be 0x401
        }

        It 'writes the FPU back and changes nothing with -WhatIf' {
            $fpu = Get-KvmVcpuStateBlock -Vcpu $vcpu -Kind Fpu
            Set-KvmVcpuStateBlock -Vcpu $vcpu -Block $fpu.With('fcw', 0x27f)
            Set-KvmVcpuStateBlock -Vcpu $vcpu -Block $fpu -WhatIf
            (Get-KvmVcpuStateBlock -Vcpu $vcpu -Kind Fpu).Fields['fcw'] | Should -Be 0x27f
        }

        It 'refuses a block of the wrong size' {
            $bad = [KvmPS.Kvm.X86.VcpuStateBlock]::new('kvm_fpu', [byte[]]::new(3))
            { Set-KvmVcpuStateBlock -Vcpu $vcpu -Block $bad -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidStateSize*'
        }
    }
}
