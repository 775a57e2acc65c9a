BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Real-mode guests at 0x1000. Print prints "engine ok" on COM1 (polling LSR.THRE before each byte), then writes 3 to
    # the debug-exit port 0xf4 and halts; Spin loops forever; Echo reads one byte from COM1 (waiting for LSR.DR), writes
    # it back, then halts.
    $script:Print = [byte[]](0xbe, 0x26, 0x10, 0xac, 0x84, 0xc0, 0x74, 0x12, 0x88, 0xc4, 0xba, 0xfd,
        0x03, 0xec, 0xa8, 0x20, 0x74, 0xf8, 0xba, 0xf8, 0x03, 0x88, 0xe0, 0xee,
        0xeb, 0xe9, 0xba, 0xf4, 0x00, 0x66, 0xb8, 0x03, 0x00, 0x00, 0x00, 0x66,
        0xef, 0xf4) + [System.Text.Encoding]::ASCII.GetBytes("engine ok`nsecond line`n") + [byte]0
    $script:Spin = [byte[]](0xeb, 0xfe)
    # w: mov dx,0x3fd / in al,dx / test al,1 / jz w / mov dx,0x3f8 / in al,dx / out dx,al / hlt
    $script:Echo = [byte[]](0xba, 0xfd, 0x03, 0xec, 0xa8, 0x01, 0x74, 0xf8, 0xba, 0xf8, 0x03, 0xec, 0xee, 0xf4)

    function New-GuestVm([byte[]] $Code, [int] $Vcpus = 1) {
        $vm = New-KvmVm
        $vm | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB | Write-KvmGuestMemory -GuestAddress 0x1000 -Bytes $Code
        foreach ($i in 1..$Vcpus) {
            $vm | New-KvmVcpu | Set-KvmRegister -Values @{ 'cs.base' = 0; 'cs.selector' = 0; 'ds.base' = 0; 'ds.selector' = 0; rip = 0x1000; rflags = 0x2 }
        }
        $vm
    }

    # The Print guest with a UART at COM1 and debug-exit at 0xf4, started.
    function Start-ReportingVm {
        $vm = New-GuestVm $Print
        $vm | Add-KvmSerialPort | Out-Null
        $vm | Add-KvmDebugExit | Out-Null
        $vm | Start-KvmVm -PassThru
    }
}

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

Describe 'Start-KvmVm' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'runs the guest with its devices until it reports through debug-exit' {
            $vm = New-GuestVm $Print
            $uart = $vm | Add-KvmSerialPort
            $vm | Add-KvmDebugExit | Out-Null
            $vm.State.ToString() | Should -Be 'Created'
            $vm | Start-KvmVm -PassThru | Should -Be $vm
            $done = $vm | Wait-KvmVm -TimeoutSeconds 10
            $done.State.ToString() | Should -Be 'Stopped'
            $done.ExitStatus | Should -Be 7
            $done.FailureReason | Should -BeNullOrEmpty
            $uart.Output.All | Should -Be "engine ok`nsecond line`n"
        }

        It 'only reports with -WhatIf' {
            $vm = New-GuestVm $Spin
            $vm | Start-KvmVm -WhatIf
            $vm.State.ToString() | Should -Be 'Created'
        }

        It 'refuses a VM that is already running, and one without vCPUs' {
            $vm = New-GuestVm $Spin
            $vm | Start-KvmVm
            $vm | Start-KvmVm -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'VmAlreadyRunning*'
            Get-KvmRegister -Vcpu $vm.Vcpus[0] -ErrorVariable busy -ErrorAction SilentlyContinue
            $busy[0].FullyQualifiedErrorId | Should -BeLike 'VcpuBusy*'
            $vm | Stop-KvmVm
            New-KvmVm | Start-KvmVm -ErrorVariable empty -ErrorAction SilentlyContinue
            $empty[0].FullyQualifiedErrorId | Should -BeLike 'VmHasNoVcpus*'
        }
    }
}

Describe 'Stop-KvmVm' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'stops every vCPU of a spinning guest at once' {
            $vm = New-GuestVm $Spin -Vcpus 2
            $vm | Start-KvmVm
            Start-Sleep -Milliseconds 50
            $vm.State.ToString() | Should -Be 'Running'
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $stopped = $vm | Stop-KvmVm -PassThru
            $clock.Elapsed.TotalMilliseconds | Should -BeLessThan 1000
            $stopped.State.ToString() | Should -Be 'Stopped'
            $vm.Vcpus | ForEach-Object { $_.State.ToString() | Should -Be 'Stopped' }
            (Get-KvmRegister -Vcpu $vm.Vcpus[0] -Name rip).Value | Should -BeIn 0x1000, 0x1001
        }

        It 'keeps the VM running with -WhatIf' {
            $vm = New-GuestVm $Spin
            $vm | Start-KvmVm
            $vm | Stop-KvmVm -WhatIf
            $vm.State.ToString() | Should -Be 'Running'
            $vm | Stop-KvmVm
        }
    }
}

Describe 'Wait-KvmVm' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'gives a VmWaitTimedOut error for a guest still running after the timeout' {
            $vm = New-GuestVm $Spin
            $vm | Start-KvmVm
            $result = $vm | Wait-KvmVm -TimeoutSeconds 0.2 -ErrorVariable timedOut -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            $timedOut[0].FullyQualifiedErrorId | Should -BeLike 'VmWaitTimedOut*'
            $vm | Stop-KvmVm
        }

        It 'returns a halted VM' {
            $vm = New-GuestVm ([byte[]](0xf4))
            $vm | Start-KvmVm
            ($vm | Wait-KvmVm -TimeoutSeconds 10).State.ToString() | Should -Be 'Halted'
        }

        It 'stops waiting on Ctrl+C (the pipeline is stopped) and leaves the VM running' {
            $vm = New-GuestVm $Spin
            $vm | Start-KvmVm
            # One statement per invocation: a stopped multi-statement batch can race the runspace's disposal in
            # PowerShell itself (BatchInvocationWorkItem) and take the process down.
            $ps = [powershell]::Create()
            $null = $ps.AddCommand('Import-Module').AddArgument((Get-Module KvmPS).Path).Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddCommand('Wait-KvmVm').AddParameter('Vm', $vm)
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 300
            $async.IsCompleted | Should -BeFalse
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalMilliseconds | Should -BeLessThan 1000
            $ps.Dispose()
            $vm.State.ToString() | Should -Be 'Running'
            $vm | Stop-KvmVm
        }
    }
}

Describe 'Add-KvmSerialPort' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'adds a UART at COM1 by default, and one at a hex port, and logs to a file' {
            $vm = New-KvmVm
            $com1 = $vm | Add-KvmSerialPort
            $com1.BasePort | Should -Be 0x3f8
            $com1.Irq | Should -Be 4
            $log = Join-Path $TestDrive 'serial.log'
            $com2 = $vm | Add-KvmSerialPort -Port 0x2f8 -Irq '3' -Path $log
            $com2.Name | Should -Be 'uart16550@0x2f8'
            $com2.Output.Path | Should -Be $log
        }

        It 'refuses a port another device has' {
            $vm = New-KvmVm
            $vm | Add-KvmSerialPort | Out-Null
            $vm | Add-KvmSerialPort -Port 0x3fc -ErrorVariable taken -ErrorAction SilentlyContinue
            $taken[0].FullyQualifiedErrorId | Should -BeLike 'PortInUse*'
            $taken[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        }

        It 'adds nothing with -WhatIf' {
            $vm = New-KvmVm
            $vm | Add-KvmSerialPort -WhatIf
            $vm.Runner.SerialPorts | Should -BeNullOrEmpty
        }
    }
}

Describe 'Add-KvmDebugExit' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'takes a port and a width, and refuses other widths' {
            $vm = New-KvmVm
            $device = $vm | Add-KvmDebugExit -Port 0x501 -Width 2
            $device.Port | Should -Be 0x501
            $device.Width | Should -Be 2
            { $vm | Add-KvmDebugExit -Port 0x600 -Width 3 } | Should -Throw
        }

        It 'turns the guest''s write of 1 into exit status 3' {
            $vm = New-KvmVm
            # mov dx,0x501 / mov al,1 / out dx,al / hlt
            $vm | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB | Write-KvmGuestMemory -GuestAddress 0x1000 -Bytes 0xba, 0x01, 0x05, 0xb0, 0x01, 0xee, 0xf4
            $vm | New-KvmVcpu | Set-KvmRegister -Values @{ 'cs.base' = 0; 'cs.selector' = 0; rip = 0x1000; rflags = 0x2 }
            $vm | Add-KvmDebugExit -Port 0x501 -Width 1 | Out-Null
            $vm | Start-KvmVm
            ($vm | Wait-KvmVm -TimeoutSeconds 10).ExitStatus | Should -Be 3
        }
    }
}

Describe 'Add-KvmFwCfg' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'lets the guest read the signature' {
            $vm = New-KvmVm
            # mov dx,0x510 / xor ax,ax / out dx,ax / inc dx / mov cx,4 / mov di,0x1800 / rep insb / hlt
            $code = 0xba, 0x10, 0x05, 0x31, 0xc0, 0xef, 0x42, 0xb9, 0x04, 0x00, 0xbf, 0x00, 0x18, 0xf3, 0x6c, 0xf4
            $vm | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB | Write-KvmGuestMemory -GuestAddress 0x1000 -Bytes $code
            $vm | New-KvmVcpu | Set-KvmRegister -Values @{ 'cs.base' = 0; 'cs.selector' = 0; 'es.base' = 0; 'es.selector' = 0; rip = 0x1000; rflags = 0x2 }
            $device = $vm | Add-KvmFwCfg
            $device.Name | Should -Be 'fw_cfg@0x510'
            $vm | Start-KvmVm
            ($vm | Wait-KvmVm -TimeoutSeconds 10).State.ToString() | Should -Be 'Halted'
            [System.Text.Encoding]::ASCII.GetString((Read-KvmGuestMemory -Vm $vm -GuestAddress 0x1800 -Length 4)) | Should -Be 'QEMU'
        }
    }
}

Describe 'Add-KvmTestDevice' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'keeps what the guest wrote to the scratch port' {
            $vm = New-KvmVm
            # mov dx,0xe0 / mov eax,0x12345678 / out dx,eax / hlt
            $vm | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB | Write-KvmGuestMemory -GuestAddress 0x1000 -Bytes 0xba, 0xe0, 0x00, 0x66, 0xb8, 0x78, 0x56, 0x34, 0x12, 0x66, 0xef, 0xf4
            $vm | New-KvmVcpu | Set-KvmRegister -Values @{ 'cs.base' = 0; 'cs.selector' = 0; rip = 0x1000; rflags = 0x2 }
            $device = $vm | Add-KvmTestDevice
            $vm | Start-KvmVm
            $vm | Wait-KvmVm -TimeoutSeconds 10 | Out-Null
            $device.Scratch | Should -Be 0x12345678
        }
    }
}

Describe 'Receive-KvmSerialOutput' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'returns the output once, then only what is new; -All returns everything' {
            $vm = Start-ReportingVm
            $vm | Wait-KvmVm -TimeoutSeconds 10 | Out-Null
            $vm | Receive-KvmSerialOutput | Should -Be "engine ok`nsecond line`n"
            $vm | Receive-KvmSerialOutput | Should -Be ''
            $vm | Receive-KvmSerialOutput -All | Should -Be "engine ok`nsecond line`n"
        }

        It 'streams lines with -Wait until the VM stops' {
            $vm = Start-ReportingVm
            $lines = @($vm | Receive-KvmSerialOutput -Wait)
            $lines | Should -Be @('engine ok', 'second line')
        }

        It 'says when the VM has no serial port' {
            $vm = New-KvmVm
            $vm | Receive-KvmSerialOutput -ErrorVariable missing -ErrorAction SilentlyContinue
            $missing[0].FullyQualifiedErrorId | Should -BeLike 'SerialPortNotFound*'
        }
    }
}

Describe 'Send-KvmSerialInput' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'gives the guest a byte to read, which it echoes' {
            $vm = New-GuestVm $Echo
            $uart = $vm | Add-KvmSerialPort
            $vm | Start-KvmVm
            Send-KvmSerialInput -Vm $vm -Text 'Z' -PassThru | Should -Be $vm
            ($vm | Wait-KvmVm -TimeoutSeconds 10).State.ToString() | Should -Be 'Halted'
            $uart.Output.All | Should -Be 'Z'
        }

        It 'queues nothing with -WhatIf' {
            $vm = New-KvmVm
            $uart = $vm | Add-KvmSerialPort
            Send-KvmSerialInput -Vm $vm -Text 'x' -WhatIf
            $uart.Read(0x3fd, 1) | Should -Be 0x60
        }
    }
}

Describe 'Get-KvmStatistic' {
    Context 'on an x86_64 host with KVM' -Skip:(-not $CanRunX86) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

        It 'counts exits, KVM_RUN calls and time, device accesses and unhandled ports' {
            $vm = Start-ReportingVm
            $vm | Wait-KvmVm -TimeoutSeconds 10 | Out-Null
            $stats = $vm | Get-KvmStatistic
            $stats.VmId | Should -Be $vm.Id
            $stats.Exits['KVM_EXIT_IO'] | Should -BeGreaterOrEqual 44
            $stats.RunCount | Should -Be $stats.ExitCount
            $stats.RunTime | Should -BeGreaterThan ([TimeSpan]::Zero)
            $stats.Vcpus.Count | Should -Be 1
            ($stats.Devices | Where-Object Name -eq 'uart16550@0x3f8').Writes | Should -Be 22
            ($stats.Devices | Where-Object Name -eq 'debug-exit@0xf4').Writes | Should -Be 1
            $stats.UnhandledPortReads | Should -Be 0
        }

        It 'returns every VM of the session without -Vm' {
            $a = New-KvmVm
            $b = New-KvmVm
            (Get-KvmStatistic).VmId | Should -Be @($a.Id, $b.Id)
        }
    }
}
