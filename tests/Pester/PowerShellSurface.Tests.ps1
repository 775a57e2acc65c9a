# How the module feels in PowerShell: numbers as people type them, completion, output as data, safety switches,
# errors with advice, install and package, and remoting over SSH.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Manifest = (Get-Module KvmPS).Path -replace '\.dll$', '.psd1'
    $script:ModuleDir = Split-Path $Manifest
    $script:RepoRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $script:Pwsh = Join-Path $PSHOME 'pwsh'
    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
}

Describe 'Numbers as people type them' {
    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Force }

        It 'runs the x86 reset vector: a region at 0xffff0000, code at 0xfffffff0, an IO exit on 0x3f8 with A, then HLT' {
            $vm = New-KvmVm
            $region = $vm | New-KvmMemoryRegion -GuestAddress 0xffff0000 -Size 64KB
            $region.GuestAddress | Should -Be ([uint64]4294901760)
            $region.Size | Should -Be 65536
            # mov dx, 0x3f8; mov al, 'A'; out dx, al; hlt  (real mode, CS base 0xffff0000, IP 0xfff0)
            Write-KvmGuestMemory -Vm $vm 0xfffffff0 ([byte[]](0xBA, 0xF8, 0x03, 0xB0, 0x41, 0xEE, 0xF4))
            $vcpu = $vm | New-KvmVcpu
            $io = Invoke-KvmVcpu $vcpu -TimeoutSeconds 10
            $io.Reason.ToString() | Should -Be 'Io'
            $io.Port | Should -Be 0x3f8
            $io.Direction.ToString() | Should -Be 'Out'
            [char]$io.Data[0] | Should -Be 'A'
            (Invoke-KvmVcpu $vcpu -TimeoutSeconds 10).Reason.ToString() | Should -Be 'Hlt'
        }

        It 'takes register values, addresses and sizes as hex literals, hex strings and size suffixes' {
            $vm = New-KvmVm
            $null = $vm | New-KvmMemoryRegion -GuestAddress '0x100000' -Size '2MB'
            $vcpu = $vm | New-KvmVcpu
            Set-KvmRegister -Vcpu $vcpu -Name rax -Value 0xffffffff
            (Get-KvmRegister -Vcpu $vcpu -Name rax).Value | Should -Be ([uint64]0xffffffffL)
            Set-KvmRegister -Vcpu $vcpu -Values @{ rbx = 0xffffffffffffffff; rcx = '0x80000000'; rdx = 4KB }
            $values = @{}; Get-KvmRegister -Vcpu $vcpu -Name rbx, rcx, rdx | ForEach-Object { $values[$_.Name] = $_.Value }
            $values.rbx | Should -Be ([uint64]::MaxValue)
            $values.rcx | Should -Be ([uint64]2147483648)
            $values.rdx | Should -Be 4096
            (Get-KvmMemoryRegion -Vm $vm).Size | Should -Be 2MB
        }

        It 'refuses a register value of $null instead of writing 0' {
            $vcpu = New-KvmVm | New-KvmVcpu
            { Set-KvmRegister -Vcpu $vcpu -Values @{ rax = $null } -ErrorAction Stop } | Should -Throw -ErrorId 'NullArgument,*'
        }

        It 'refuses a malformed number with the accepted forms in the message' {
            $vm = New-KvmVm
            { $vm | New-KvmMemoryRegion -GuestAddress 'lots' -Size 4KB -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*0x-prefixed hexadecimal*'
        }
    }
}

Describe 'Completion' {
    It 'completes readable and kernel capability names' {
        (Complete 'Get-KvmCapability -Name SpaprT').CompletionText | Should -Contain 'SpaprTce'
        (Complete 'Test-KvmCapability KVM_CAP_SPAPR_T').CompletionText | Should -Contain 'KVM_CAP_SPAPR_TCE'
    }

    It 'offers no file names where a number is expected' {
        New-Item -ItemType File -Path (Join-Path $TestDrive 'decoy.txt') | Out-Null
        Push-Location $TestDrive
        try {
            Complete 'New-KvmMemoryRegion -Size ' | Should -BeNullOrEmpty
            Complete 'Read-KvmGuestMemory -GuestAddress ' | Should -BeNullOrEmpty
        } finally {
            Pop-Location
        }
    }

    It 'completes ARM address types and IOMMU types by name' {
        (Complete 'Set-KvmArmDeviceAddress -AddressType Dist').CompletionText | Should -Contain 'Distributor'
        (Complete 'Set-VfioIommu -Type Spapr').CompletionText | Should -Not -BeNullOrEmpty
    }

    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Force }

        It 'completes the register names of the bound vCPU''s architecture' {
            $script:completionVcpu = New-KvmVm | New-KvmVcpu
            $names = (Complete 'Get-KvmRegister -Vcpu $completionVcpu -Name ri').CompletionText
            $names | Should -Contain 'rip'
            (Complete 'Set-KvmRegister -Vcpu $completionVcpu -Name cs.b').CompletionText | Should -Contain 'cs.base'
        }

        It 'completes VM and vCPU ids instead of file names' {
            $vm = New-KvmVm
            $null = $vm | New-KvmVcpu -Id 3
            (Complete 'Get-KvmVm -Id ').CompletionText | Should -Contain "$($vm.Id)"
            (Complete 'Remove-KvmVm -Id ').CompletionText | Should -Be @(Get-KvmVm | ForEach-Object { "$($_.Id)" })
            (Complete 'Get-KvmVcpu -Id ').CompletionText | Should -Contain '3'
        }
    }
}

Describe 'Output as data' {
    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Force }

        It 'serializes a VM to JSON without kernel objects, with enums by name and addresses as numbers' {
            $vm = New-KvmVm
            $null = $vm | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB -LogDirtyPages
            $json = $vm | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
            $json | Should -Not -Match '"(Kernel|Descriptor|Handle|Syscalls)"'
            $parsed = $vm.MemoryRegions[0] | ConvertTo-Json | ConvertFrom-Json
            $parsed.Flags | Should -Be 'LogDirtyPages'
            $parsed.HostAddress | Should -BeOfType [long]
            $parsed.HostAddress | Should -BeGreaterThan 0
        }

        It 'round-trips host inventory through Export-Clixml' {
            $path = Join-Path $TestDrive 'host.xml'
            Get-KvmHost | Export-Clixml $path
            $back = Import-Clixml $path
            $back.ApiVersion | Should -Be (Get-KvmHost).ApiVersion
            $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.KvmPS.Kvm.KvmHostInfo'
        }

        It 'shows exits with the port in hex and register rows with their VM' {
            $vm = New-KvmVm
            $null = $vm | New-KvmMemoryRegion -GuestAddress 0xffff0000 -Size 64KB
            Write-KvmGuestMemory -Vm $vm 0xfffffff0 ([byte[]](0xBA, 0xF8, 0x03, 0xB0, 0x41, 0xEE, 0xF4))
            $vcpu = $vm | New-KvmVcpu
            (Invoke-KvmVcpu $vcpu -TimeoutSeconds 10 | Out-String) | Should -Match 'Port\s+:\s+0x3F8'
            (Get-KvmRegister -Vcpu $vcpu -Name rip | Format-Table | Out-String) | Should -Match 'VmId'
        }

        It 'writes errors with the errno in the ErrorId and a RecommendedAction' {
            $a = New-KvmVm
            $null = $a | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB -Slot 0
            $failure = $null
            try { $null = $a | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB -Slot 1 -ErrorAction Stop } catch { $failure = $_ }
            $failure | Should -Not -BeNullOrEmpty
            $failure.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
    }

    It 'names internal-error sub-errors' {
        $exit = [KvmPS.Kvm.Exits.InternalErrorExit]::new(1, 0, 17)
        $exit.Suberror = 1
        $exit.SuberrorName | Should -Be 'KVM_INTERNAL_ERROR_EMULATION'
        ($exit | Out-String) | Should -Match 'Suberror\s+:\s+KVM_INTERNAL_ERROR_EMULATION \(1\)'
    }
}

Describe 'Safety and habits' {
    It 'gives every cmdlet an online help URI to its page' {
        Get-Command -Module KvmPS | ForEach-Object { $_.HelpUri | Should -BeLike "*/docs/cmdlets/$($_.Name).md" }
    }

    It 'asks before destroying state: ConfirmImpact High on Remove, Clear, Close, Reset and Unregister' {
        Get-Command -Module KvmPS -Verb Remove, Clear, Close, Reset, Unregister | ForEach-Object {
            $_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
                Should -Be 'High' -Because $_.Name
            $_.Parameters.Keys | Should -Contain 'Force'
        }
    }

    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Force }

        It 'keeps -WhatIf meaningful with -Force, and removes with -Force alone' {
            $vm = New-KvmVm
            Remove-KvmVm -Vm $vm -Force -WhatIf
            $vm.IsDisposed | Should -BeFalse
            $removed = Remove-KvmVm -Vm $vm -Force -PassThru
            $removed.IsDisposed | Should -BeTrue
        }

        It 'refuses to remove without confirmation in a non-interactive session' {
            $vm = New-KvmVm
            $job = Start-ThreadJob -ScriptBlock { param($v) $ConfirmPreference = 'High'; try { Remove-KvmVm -Vm $v -ErrorAction Stop; 'removed' } catch { 'refused' } } -ArgumentList $vm
            $result = $job | Wait-Job -Timeout 30 | Receive-Job
            $job | Remove-Job -Force
            $result | Should -Be 'refused'
            $vm.IsDisposed | Should -BeFalse
        }
    }
}

Describe 'Install and package' {
    It 'installs into a modules folder so that Import-Module KvmPS works by name, in a new process and in thread jobs' {
        $modules = Join-Path $TestDrive 'Modules'
        & (Join-Path $RepoRoot 'build.ps1') Install -Destination $modules
        Test-Path (Join-Path $modules "KvmPS/$((Import-PowerShellDataFile $Manifest).ModuleVersion)/KvmPS.psd1") | Should -BeTrue

        $saved = $env:PSModulePath
        try {
            $env:PSModulePath = $modules + [IO.Path]::PathSeparator + $saved
            $child = & $Pwsh -NoProfile -NonInteractive -Command 'Import-Module KvmPS -ErrorAction Stop; (Get-Module KvmPS).ModuleBase'
            $child | Should -BeLike "$modules*"
            $job = Start-ThreadJob { (Get-Command Get-KvmHost -ErrorAction Stop).Source }
            ($job | Wait-Job -Timeout 60 | Receive-Job) | Should -Be 'KvmPS'
            $job | Remove-Job -Force
        } finally {
            $env:PSModulePath = $saved
        }
    }

    It 'packages a .nupkg that Install-PSResource accepts from a local folder' {
        & (Join-Path $RepoRoot 'build.ps1') Package
        $packages = Join-Path $RepoRoot 'out/packages'
        Get-ChildItem $packages -Filter 'KvmPS.*.nupkg' | Should -Not -BeNullOrEmpty
        $name = "KvmPSTest$PID"
        Register-PSResourceRepository -Name $name -Uri $packages -Trusted
        try {
            Install-PSResource -Name KvmPS -Repository $name -Scope CurrentUser -TrustRepository -Reinstall -ErrorAction Stop
            $installed = Get-InstalledPSResource -Name KvmPS -Scope CurrentUser
            $installed.Version.ToString() | Should -Be (Import-PowerShellDataFile $Manifest).ModuleVersion
            Test-Path (Join-Path $installed.InstalledLocation 'KvmPS/*/KvmPS.dll') | Should -BeTrue
        } finally {
            Uninstall-PSResource -Name KvmPS -Scope CurrentUser -ErrorAction SilentlyContinue
            Unregister-PSResourceRepository -Name $name
        }
    }
}

Describe 'Remoting over SSH' {
    It 'answers Get-KvmHost, Get-KvmCapability and Test-KvmHost from 127.0.0.1 with properties and views intact' {
        if (-not $env:KVMPS_SSH_PORT) {
            Set-ItResult -Skipped -Because 'no loopback sshd: run "eval $(.ci/loopback-sshd start)" first (needs openssh-server), as .ci/run does'
            return
        }
        $session = New-PSSession -HostName $env:KVMPS_SSH_HOST -Port $env:KVMPS_SSH_PORT -UserName $env:KVMPS_SSH_USER `
            -KeyFilePath $env:KVMPS_SSH_KEY -Options @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
        try {
            Invoke-Command -Session $session { param($m) Import-Module $m -ErrorAction Stop } -ArgumentList $Manifest
            $remoteHost = Invoke-Command -Session $session { Get-KvmHost }
            $capabilities = Invoke-Command -Session $session { Get-KvmCapability }
            $check = Invoke-Command -Session $session { Test-KvmHost }
            $remoteHost.PSComputerName | Should -Be $env:KVMPS_SSH_HOST
            $remoteHost.PSObject.TypeNames | Should -Contain 'Deserialized.KvmPS.Kvm.KvmHostInfo'
            $remoteHost.ApiVersion | Should -Be (Get-KvmHost).ApiVersion
            @($capabilities).Count | Should -Be @(Get-KvmCapability).Count
            ($capabilities | Where-Object Name -EQ 'UserMemory').Supported | Should -Be ((Get-KvmCapability -Name UserMemory).Supported)
            @($check).Count | Should -BeGreaterThan 0
            ($capabilities | Select-Object -First 3 | Format-Table | Out-String) | Should -Match 'KernelName'
        } finally {
            Remove-PSSession $session
        }
    }
}
