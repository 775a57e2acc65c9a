BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

BeforeDiscovery {
    $ExportedCmdlets = @((Get-Module KvmPS).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

Describe 'KvmPS module' {
    BeforeAll {
        # A manifest module whose RootModule is the DLL reports the DLL as its Path.
        $script:ManifestPath = (Get-Module KvmPS).Path
        if ([System.IO.Path]::GetExtension($script:ManifestPath) -ne '.psd1') {
            $script:ManifestPath = Join-Path (Get-Module KvmPS).ModuleBase 'KvmPS.psd1'
        }
    }

    It 'is imported from its manifest' {
        $ManifestPath | Should -Exist
    }

    It 'exports exactly the cmdlets its manifest lists in CmdletsToExport' {
        $declared = @((Import-PowerShellDataFile -Path $ManifestPath).CmdletsToExport)
        $declared | Should -Not -Contain '*'
        $exported = @((Get-Module KvmPS).ExportedCmdlets.Keys)
        $exported.Count | Should -BeGreaterThan 0
        ($exported | Sort-Object) | Should -Be ($declared | Sort-Object)
    }

    It 'exports every cmdlet class of the assembly' {
        $assembly = [KvmPS.Commands.KvmCmdlet].Assembly
        $implemented = @($assembly.GetExportedTypes() |
            Where-Object { -not $_.IsAbstract } |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { '{0}-{1}' -f $_.VerbName, $_.NounName })
        $implemented.Count | Should -BeGreaterThan 0
        ($implemented | Sort-Object) | Should -Be (@((Get-Module KvmPS).ExportedCmdlets.Keys) | Sort-Object)
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        foreach ($name in (Get-Module KvmPS).ExportedCmdlets.Keys) {
            $verb = ($name -split '-')[0]
            $approved | Should -Contain $verb -Because "$name must use an approved verb"
        }
    }
}

Describe 'Help of <Name>' -ForEach $ExportedCmdlets {
    BeforeAll {
        $script:Help = Get-Help -Name $Name -Full
        $script:Command = Get-Command -Name $Name -Module KvmPS
    }

    It 'has a synopsis written for it' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML help, Get-Help makes the synopsis from the syntax, which starts with the name.
        $Help.Synopsis.Trim() | Should -Not -BeLike "$Name *"
    }

    It 'has a description' {
        ($Help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        $examples | ForEach-Object { $_.code | Should -Not -BeNullOrEmpty }
    }

    It 'documents every parameter and no other' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        $expected = @($Command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
        # A cmdlet without parameters has no 'parameters' node at all (StrictMode refuses the missing property).
        $parameters = if ($Help.PSObject.Properties['parameters'] -and $Help.parameters.PSObject.Properties['parameter']) { $Help.parameters.parameter } else { @() }
        $documented = @($parameters | Where-Object { $_ } | ForEach-Object { $_.name } | Sort-Object)
        # Joined, so that a cmdlet without parameters compares two empty strings.
        ($documented -join ', ') | Should -Be ($expected -join ', ')
    }
}

Describe 'Remove-Module KvmPS' {
    Context 'on a host with KVM' -Skip:(-not $HasKvm) {
        AfterAll {
            if (-not (Get-Module KvmPS)) {
                . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
            }
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'releases every VM, vCPU and memory region of the session' {
            $vm1 = New-KvmVm
            $vm2 = New-KvmVm
            $vcpu = $vm1 | New-KvmVcpu
            $region = $vm2 | New-KvmMemoryRegion -GuestAddress 0 -Size ([System.Environment]::SystemPageSize)
            @(Get-KvmVm).Count | Should -Be 2

            Remove-Module KvmPS -Force

            $vm1.IsDisposed | Should -BeTrue
            $vm2.IsDisposed | Should -BeTrue
            $vcpu.IsDisposed | Should -BeTrue
            $region.IsRemoved | Should -BeTrue

            . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
            Get-KvmVm | Should -BeNullOrEmpty
            (New-KvmVm).Id | Should -Be 1
        }
    }
}
