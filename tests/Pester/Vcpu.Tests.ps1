BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

BeforeDiscovery {
    $IsArm64 = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'Arm64'
}

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

Describe 'Get-KvmRegister' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        BeforeEach {
            $vm = New-KvmVm
            $vcpu = $vm | New-KvmVcpu
        }

        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'returns the members of kvm_regs and kvm_sregs by name' {
            $all = @(Get-KvmRegister -Vcpu $vcpu)
            $all[0].GetType().FullName | Should -Be 'KvmPS.Kvm.Registers.KvmRegister'
            $names = $all.Name
            foreach ($name in 'rax', 'r15', 'rip', 'rflags', 'cs.base', 'cs.selector', 'ss.limit', 'gdt.base', 'idt.limit', 'cr0', 'cr4', 'efer', 'apic_base', 'interrupt_bitmap[3]') {
                $names | Should -Contain $name
            }
            $names | Where-Object { $_ -like '*pad*' } | Should -BeNullOrEmpty
            ($all | Where-Object Name -eq 'rax').Bank.ToString() | Should -Be 'General'
            ($all | Where-Object Name -eq 'cs.base').Bank.ToString() | Should -Be 'Special'
            $all | ForEach-Object { $_.VmId | Should -Be $vm.Id; $_.VcpuId | Should -Be $vcpu.Id }
        }

        It 'shows the x86 reset state: execution at 0xF000:0xFFF0' {
            (Get-KvmRegister -Vcpu $vcpu -Name rip).Value | Should -Be 0xfff0
            $selector = Get-KvmRegister -Vcpu $vcpu -Name cs.selector
            $selector.Value | Should -Be 0xf000
            $selector.Size | Should -Be 2
            $selector.Hex | Should -Be '0xF000'
        }

        It 'takes the vCPU from the pipeline and names by position' {
            ($vcpu | Get-KvmRegister -Name rip).Name | Should -Be 'rip'
            (Get-KvmRegister $vcpu rflags).Name | Should -Be 'rflags'
        }

        It 'matches names with wildcards, case-insensitively' {
            (Get-KvmRegister -Vcpu $vcpu -Name 'RI?' -Bank General).Name | Should -Be 'rip'
            $cs = @(Get-KvmRegister -Vcpu $vcpu -Name 'cs.*')
            $cs.Count | Should -BeGreaterThan 5
            $cs | ForEach-Object { $_.Name | Should -BeLike 'cs.*' }
        }

        It 'treats square brackets literally' {
            $bitmap = @(Get-KvmRegister -Vcpu $vcpu -Name 'interrupt_bitmap[1]')
            $bitmap.Count | Should -Be 1
            $bitmap[0].Name | Should -Be 'interrupt_bitmap[1]'
        }

        It 'reads only the banks given with -Bank' {
            Get-KvmRegister -Vcpu $vcpu -Bank General | ForEach-Object { $_.Bank.ToString() | Should -Be 'General' }
            Get-KvmRegister -Vcpu $vcpu -Bank Special | ForEach-Object { $_.Bank.ToString() | Should -Be 'Special' }
            @(Get-KvmRegister -Vcpu $vcpu -Bank General, Special).Count | Should -Be @(Get-KvmRegister -Vcpu $vcpu).Count
        }

        It 'fails with UnknownRegister for a literal name the architecture does not have' {
            { Get-KvmRegister -Vcpu $vcpu -Name 'nosuch' -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownRegister*'
        }

        It 'returns nothing, without error, for a wildcard that matches no register' {
            Get-KvmRegister -Vcpu $vcpu -Name 'nosuch*' -ErrorAction Stop | Should -BeNullOrEmpty
        }

        It 'fails with VcpuRemoved once the VM is removed' {
            Remove-KvmVm -Vm $vm -Force
            { Get-KvmRegister -Vcpu $vcpu -ErrorAction Stop } | Should -Throw -ErrorId 'VcpuRemoved*'
        }
    }

    Context 'on an aarch64 host with KVM, whose KVM rejects KVM_GET_REGS' -Skip:(-not ($HasKvm -and $IsArm64)) {
        BeforeEach {
            $vcpu = New-KvmVm | New-KvmVcpu
        }

        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'reads the core registers through ONE_REG once the vCPU is initialised' {
            { Get-KvmRegister -Vcpu $vcpu -ErrorAction Stop } | Should -Throw -ErrorId 'KVM_GET_ONE_REG.ENOEXEC*'
            Initialize-KvmArmVcpu -Vcpu $vcpu
            (Get-KvmRegister -Vcpu $vcpu -Name regs.pc).Name | Should -Be 'regs.pc'
        }
    }
}

Describe 'Set-KvmRegister' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        BeforeEach {
            $vm = New-KvmVm
            $vcpu = $vm | New-KvmVcpu
        }

        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'sets one register with -Name and -Value' {
            Set-KvmRegister -Vcpu $vcpu -Name rax -Value 0x1122334455667788
            (Get-KvmRegister -Vcpu $vcpu -Name rax).Value | Should -Be 0x1122334455667788
        }

        It 'takes the vCPU, name and value by position' {
            Set-KvmRegister $vcpu rbx 42
            (Get-KvmRegister -Vcpu $vcpu -Name rbx).Value | Should -Be 42
        }

        It 'takes the vCPU from the pipeline and names case-insensitively' {
            $vcpu | Set-KvmRegister -Name RCX -Value 7
            (Get-KvmRegister -Vcpu $vcpu -Name rcx).Value | Should -Be 7
        }

        It 'sets registers of both banks at once with -Values' {
            Set-KvmRegister -Vcpu $vcpu -Values @{ rdx = 0x55; 'cs.selector' = 0x1234; 'ds.base' = 0x10000 }
            (Get-KvmRegister -Vcpu $vcpu -Name rdx).Value | Should -Be 0x55
            (Get-KvmRegister -Vcpu $vcpu -Name cs.selector).Value | Should -Be 0x1234
            (Get-KvmRegister -Vcpu $vcpu -Name ds.base).Value | Should -Be 0x10000
        }

        It 'leaves the other members of the struct unchanged' {
            Set-KvmRegister -Vcpu $vcpu -Name rsi -Value 9
            Set-KvmRegister -Vcpu $vcpu -Name rdi -Value 10
            (Get-KvmRegister -Vcpu $vcpu -Name rsi).Value | Should -Be 9
            (Get-KvmRegister -Vcpu $vcpu -Name rip).Value | Should -Be 0xfff0
        }

        It 'writes the vCPU to the pipeline only with -PassThru' {
            Set-KvmRegister -Vcpu $vcpu -Name rax -Value 1 | Should -BeNullOrEmpty
            $passed = Set-KvmRegister -Vcpu $vcpu -Name rax -Value 1 -PassThru
            [object]::ReferenceEquals($passed, $vcpu) | Should -BeTrue
        }

        It 'fails with UnknownRegister, listing the known names, before any ioctl' {
            Set-KvmRegister -Vcpu $vcpu -Name rax -Value 3
            $failure = { Set-KvmRegister -Vcpu $vcpu -Values @{ rax = 5; nosuch = 1 } -ErrorAction Stop } |
                Should -Throw -ErrorId 'UnknownRegister*' -PassThru
            $failure.Exception.Message | Should -BeLike "*'nosuch'*Known names:*rip*"
            (Get-KvmRegister -Vcpu $vcpu -Name rax).Value | Should -Be 3
        }

        It 'fails with RegisterValueTooLarge for a value wider than the register' {
            { Set-KvmRegister -Vcpu $vcpu -Name cs.selector -Value 0x10000 -ErrorAction Stop } | Should -Throw -ErrorId 'RegisterValueTooLarge*'
            (Get-KvmRegister -Vcpu $vcpu -Name cs.selector).Value | Should -Be 0xf000
        }

        It 'changes no register when one value of -Values does not fit' {
            $rax = (Get-KvmRegister -Vcpu $vcpu -Name rax).Value
            { Set-KvmRegister -Vcpu $vcpu -Values @{ rax = $rax + 1; 'cs.selector' = 0x10000 } -ErrorAction Stop } |
                Should -Throw -ErrorId 'RegisterValueTooLarge*'
            (Get-KvmRegister -Vcpu $vcpu -Name rax).Value | Should -Be $rax
        }

        It 'changes nothing with -WhatIf' {
            Set-KvmRegister -Vcpu $vcpu -Name rax -Value 0x77 -WhatIf
            (Get-KvmRegister -Vcpu $vcpu -Name rax).Value | Should -Not -Be 0x77
        }

        It 'fails with VcpuRemoved once the VM is removed' {
            Remove-KvmVm -Vm $vm -Force
            { Set-KvmRegister -Vcpu $vcpu -Name rax -Value 1 -ErrorAction Stop } | Should -Throw -ErrorId 'VcpuRemoved*'
        }
    }

    Context 'on an aarch64 host with KVM, whose KVM rejects KVM_GET_REGS' -Skip:(-not ($HasKvm -and $IsArm64)) {
        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'fails with UnknownRegister for an x86 name and sets an arm64 one through ONE_REG' {
            $vcpu = New-KvmVm | New-KvmVcpu
            Initialize-KvmArmVcpu -Vcpu $vcpu
            { Set-KvmRegister -Vcpu $vcpu -Name rip -Value 0 -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownRegister*'
            Set-KvmRegister -Vcpu $vcpu -Name regs.pc -Value 0x40080000
            (Get-KvmRegister -Vcpu $vcpu -Name regs.pc).Value | Should -Be 0x40080000
        }
    }
}

Describe 'Get-KvmOneRegister' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        BeforeEach {
            $vcpu = New-KvmVm | New-KvmVcpu
        }

        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'reads an MSR by its ONE_REG id and with -Msr, as KVM_GET_MSRS sees it' -Skip:(-not (Test-KvmCapability OneReg)) {
            Set-KvmMsr -Vcpu $vcpu -Name IA32_SYSENTER_CS -Value 0x10
            $byId = Get-KvmOneRegister -Vcpu $vcpu -Id 0x2030000200000174
            $byId.Value | Should -Be 0x10
            $byId.Size | Should -Be 8
            $byId.IdHex | Should -Be '0x2030000200000174'
            (Get-KvmOneRegister -Vcpu $vcpu -Msr 0x174).Value | Should -Be 0x10
        }

        It 'refuses an id of another architecture before the ioctl' {
            { Get-KvmOneRegister -Vcpu $vcpu -Id 0x6030000000100040 -ErrorAction Stop } | Should -Throw -ErrorId 'OneRegisterWrongArchitecture*'
        }
    }
}

Describe 'Set-KvmOneRegister' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        BeforeEach {
            $vcpu = New-KvmVm | New-KvmVcpu
        }

        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'writes an MSR that Get-KvmMsr then reads' -Skip:(-not (Test-KvmCapability OneReg)) {
            Set-KvmOneRegister -Vcpu $vcpu -Id 0x2030000200000174 -Value 0x23 -PassThru | Should -Be $vcpu
            (Get-KvmMsr -Vcpu $vcpu -Name IA32_SYSENTER_CS).Value | Should -Be 0x23
            Set-KvmOneRegister -Vcpu $vcpu -Id 0x2030000200000174 -Bytes ([byte[]](0x24, 0, 0, 0, 0, 0, 0, 0))
            (Get-KvmMsr -Vcpu $vcpu -Name IA32_SYSENTER_CS).Value | Should -Be 0x24
        }

        It 'changes nothing with -WhatIf and refuses a value of the wrong width' {
            Set-KvmOneRegister -Vcpu $vcpu -Id 0x2030000200000174 -Value 0x99 -WhatIf
            (Get-KvmMsr -Vcpu $vcpu -Name IA32_SYSENTER_CS).Value | Should -Not -Be 0x99
            { Set-KvmOneRegister -Vcpu $vcpu -Id 0x2030000200000174 -Bytes ([byte[]](1, 2)) -ErrorAction Stop } | Should -Throw -ErrorId 'OneRegisterValueSize*'
        }
    }
}

Describe 'Invoke-KvmVcpu' {
    BeforeAll {
        # A VM with one page at 0x1000 holding $Code, and one vCPU set to run it in real mode with flat segments at 0
        # (the registers EmbeddedGuest.RealModeEntry sets).
        function New-RealModeVcpu {
            param([byte[]] $Code)
            $vm = New-KvmVm -ErrorAction Stop
            $region = $vm | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB -ErrorAction Stop
            $region | Write-KvmGuestMemory -GuestAddress 0x1000 -Bytes $Code -ErrorAction Stop
            $vcpu = $vm | New-KvmVcpu -ErrorAction Stop
            $vcpu | Set-KvmRegister -ErrorAction Stop -Values @{
                'cs.base' = 0; 'cs.selector' = 0
                'ds.base' = 0; 'ds.selector' = 0
                'es.base' = 0; 'es.selector' = 0
                'ss.base' = 0; 'ss.selector' = 0
                rip = 0x1000; rflags = 0x2; rsp = 0
            }
            $vcpu
        }
    }

    Context 'the embedded guest, on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        BeforeAll {
            # EmbeddedGuest.Code: mov dx,0x3f8 / mov si,0x100f / l: lodsb / test al,al / jz done / out dx,al / jmp l /
            # done: hlt / then the message, NUL-terminated, at 0x1000 + 15.
            $script:Message = "KvmPS guest OK`n"
            $script:GuestCode = [byte[]](
                @(0xBA, 0xF8, 0x03, 0xBE, 0x0F, 0x10, 0xAC, 0x84, 0xC0, 0x74, 0x03, 0xEE, 0xEB, 0xF8, 0xF4) +
                [System.Text.Encoding]::ASCII.GetBytes($script:Message) +
                @(0))

            $script:GuestVcpu = New-RealModeVcpu -Code $script:GuestCode
            $script:Exits = [System.Collections.Generic.List[object]]::new()
            do {
                $exit = $script:GuestVcpu | Invoke-KvmVcpu -ErrorAction Stop
                $script:Exits.Add($exit)
            } while ($exit.KernelName -eq 'KVM_EXIT_IO' -and $script:Exits.Count -lt 100)
            $script:Exits = $script:Exits.ToArray()
            $script:IoExits = @($script:Exits | Where-Object KernelName -eq 'KVM_EXIT_IO')
        }

        AfterAll {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'runs the same bytes as the module''s embedded guest' {
            $GuestCode | Should -Be ([KvmPS.Kvm.EmbeddedGuest]::Code)
            $Message | Should -Be ([KvmPS.Kvm.EmbeddedGuest]::Message)
        }

        It 'exits once per printed byte with KVM_EXIT_IO, then with KVM_EXIT_HLT' {
            $IoExits.Count | Should -Be $Message.Length
            $Exits.Count | Should -Be ($Message.Length + 1)
            $Exits[-1].KernelName | Should -Be 'KVM_EXIT_HLT'
            $Exits[-1].Reason.ToString() | Should -Be 'Hlt'
        }

        It 'runs until an exit kind with -Until, writing every exit, and at most -Count times' {
            $all = @(New-RealModeVcpu -Code $GuestCode | Invoke-KvmVcpu -Until KVM_EXIT_HLT -TimeoutSeconds 10)
            $all.Count | Should -Be ($Message.Length + 1)
            $all[-1].KernelName | Should -Be 'KVM_EXIT_HLT'
            $three = @(New-RealModeVcpu -Code $GuestCode | Invoke-KvmVcpu -Until Hlt -Count 3)
            $three.Count | Should -Be 3
            $three.KernelName | Should -Be @('KVM_EXIT_IO', 'KVM_EXIT_IO', 'KVM_EXIT_IO')
            New-RealModeVcpu -Code $GuestCode | Invoke-KvmVcpu -Until Nonsense -ErrorVariable unknown -ErrorAction SilentlyContinue
            $unknown[0].FullyQualifiedErrorId | Should -BeLike 'UnknownExitReason*'
        }

        It 'ends a -Until sequence on a spinning guest at the timeout' {
            $spin = New-RealModeVcpu -Code 0xEB, 0xFE
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $exits = @($spin | Invoke-KvmVcpu -Until Hlt -TimeoutSeconds 0.3)
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 3
            $exits.Count | Should -Be 1
            $exits[0].Interrupted | Should -BeTrue
        }

        It 'reports each port write: port 0x3F8, direction Out, one byte' {
            foreach ($io in $IoExits) {
                $io.GetType().FullName | Should -Be 'KvmPS.Kvm.Exits.IoExit'
                $io.Port | Should -Be 0x3f8
                $io.Direction.ToString() | Should -Be 'Out'
                $io.Size | Should -Be 1
                $io.Count | Should -Be 1
                $io.Data.Length | Should -Be 1
                $io.VmId | Should -Be $GuestVcpu.VmId
                $io.VcpuId | Should -Be $GuestVcpu.Id
            }
        }

        It 'spells the message with the bytes written' {
            $bytes = [byte[]]@($IoExits | ForEach-Object { $_.Data })
            [System.Text.Encoding]::ASCII.GetString($bytes) | Should -BeExactly $Message
        }

        It 'counts the runs and keeps the last exit on the vCPU' {
            $GuestVcpu.RunCount | Should -Be $Exits.Count
            [object]::ReferenceEquals($GuestVcpu.LastExit, $Exits[-1]) | Should -BeTrue
        }
    }

    Context 'MMIO and port reads, on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'reports an MMIO write and read, and completes the read with -ReadData' {
            # mov byte [0x2000], 0x42 / mov al, [0x3000] / mov dx, 0x3f8 / out dx, al / hlt -- no region backs 0x2000 or 0x3000
            $vcpu = New-RealModeVcpu -Code ([byte[]](0xC6, 0x06, 0x00, 0x20, 0x42, 0xA0, 0x00, 0x30, 0xBA, 0xF8, 0x03, 0xEE, 0xF4))

            $write = Invoke-KvmVcpu -Vcpu $vcpu -ErrorAction Stop
            $write.GetType().FullName | Should -Be 'KvmPS.Kvm.Exits.MmioExit'
            $write.KernelName | Should -Be 'KVM_EXIT_MMIO'
            $write.IsWrite | Should -BeTrue
            $write.Address | Should -Be 0x2000
            $write.Length | Should -Be 1
            $write.Data.Length | Should -Be 1
            $write.Data[0] | Should -Be 0x42

            $read = Invoke-KvmVcpu -Vcpu $vcpu -ErrorAction Stop
            $read.KernelName | Should -Be 'KVM_EXIT_MMIO'
            $read.IsWrite | Should -BeFalse
            $read.Address | Should -Be 0x3000
            $read.Length | Should -Be 1

            { Invoke-KvmVcpu -Vcpu $vcpu -ReadData ([byte[]](1, 2)) -ErrorAction Stop } | Should -Throw -ErrorId 'ReadDataLengthMismatch*'

            $echo = Invoke-KvmVcpu -Vcpu $vcpu -ReadData ([byte[]](0x5A)) -ErrorAction Stop
            $echo.KernelName | Should -Be 'KVM_EXIT_IO'
            $echo.Port | Should -Be 0x3f8
            $echo.Data[0] | Should -Be 0x5A

            (Invoke-KvmVcpu -Vcpu $vcpu -ErrorAction Stop).KernelName | Should -Be 'KVM_EXIT_HLT'
        }

        It 'reports a port read and completes it with -ReadData' {
            # mov dx, 0x60 / in al, dx / mov dx, 0x3f8 / out dx, al / hlt
            $vcpu = New-RealModeVcpu -Code ([byte[]](0xBA, 0x60, 0x00, 0xEC, 0xBA, 0xF8, 0x03, 0xEE, 0xF4))

            $in = Invoke-KvmVcpu -Vcpu $vcpu -ErrorAction Stop
            $in.KernelName | Should -Be 'KVM_EXIT_IO'
            $in.Direction.ToString() | Should -Be 'In'
            $in.Port | Should -Be 0x60
            $in.Size | Should -Be 1
            $in.Data.Length | Should -Be 0

            { Invoke-KvmVcpu -Vcpu $vcpu -ReadData ([byte[]](1, 2)) -ErrorAction Stop } | Should -Throw -ErrorId 'ReadDataLengthMismatch*'

            $out = Invoke-KvmVcpu -Vcpu $vcpu -ReadData ([byte[]](0x99)) -ErrorAction Stop
            $out.Direction.ToString() | Should -Be 'Out'
            $out.Data[0] | Should -Be 0x99
        }
    }

    Context 'a guest that never exits, on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'returns an interrupted KVM_EXIT_INTR after -TimeoutSeconds, and can run on' {
            # l: jmp l
            $vcpu = New-RealModeVcpu -Code ([byte[]](0xEB, 0xFE))

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $exit = Invoke-KvmVcpu -Vcpu $vcpu -TimeoutSeconds 0.5 -ErrorAction Stop
            $clock.Stop()
            $exit.KernelName | Should -Be 'KVM_EXIT_INTR'
            $exit.Interrupted | Should -BeTrue
            $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.4
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 30

            (Invoke-KvmVcpu -Vcpu $vcpu -TimeoutSeconds 0.1 -ErrorAction Stop).Interrupted | Should -BeTrue
            $vcpu.RunCount | Should -Be 2
            (Get-KvmRegister -Vcpu $vcpu -Name rip).Value | Should -Be 0x1000
        }

        It 'rejects a timeout out of range in parameter validation' {
            $vcpu = New-RealModeVcpu -Code ([byte[]](0xF4))
            { Invoke-KvmVcpu -Vcpu $vcpu -TimeoutSeconds 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            $vcpu.RunCount | Should -Be 0
        }
    }

    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        BeforeEach {
            $vm = New-KvmVm
            $vcpu = $vm | New-KvmVcpu
        }

        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'fails with NoPendingRead for -ReadData before any read, without running' {
            { Invoke-KvmVcpu -Vcpu $vcpu -ReadData ([byte[]](1)) -ErrorAction Stop } | Should -Throw -ErrorId 'NoPendingRead*'
            $vcpu.RunCount | Should -Be 0
        }

        It 'fails with NoPendingHypercall for -HypercallReturn outside a hypercall' {
            { Invoke-KvmVcpu -Vcpu $vcpu -HypercallReturn 0 -ErrorAction Stop } | Should -Throw -ErrorId 'NoPendingHypercall*'
            $vcpu.RunCount | Should -Be 0
        }

        It 'fails with VcpuRemoved once the VM is removed' {
            Remove-KvmVm -Vm $vm -Force
            { Invoke-KvmVcpu -Vcpu $vcpu -ErrorAction Stop } | Should -Throw -ErrorId 'VcpuRemoved*'
        }
    }
}
