#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages the KvmPS module.
.DESCRIPTION
    Build   : compiles the module, compiles docs/cmdlets into en-US/KvmPS.dll-Help.xml and lays out a
              ready-to-import module in out/KvmPS/<version>/ (same as: dotnet build src/KvmPS -c Release -t:AssembleModule).
    Test    : runs the .NET tests (same as: dotnet test KvmPS.slnx), then the Pester suite in tests/Pester when
              Pester 5 is installed, against the built module.
    Package : zips out/KvmPS/<version>/ into out/KvmPS-<version>.zip.
    Every task fails the script (non-zero exit) when its step fails.
.EXAMPLE
    ./build.ps1                 # Build
.EXAMPLE
    ./build.ps1 Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Get-ModuleVersion {
    (Import-PowerShellDataFile (Join-Path $root 'KvmPS.psd1')).ModuleVersion
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' {
            Invoke-Native 'Module build' { dotnet build (Join-Path $root 'src/KvmPS') -c $Configuration -t:AssembleModule }
            Write-Host "Import it with: Import-Module $(Join-Path $root "out/KvmPS/$(Get-ModuleVersion)/KvmPS.psd1")"
        }
        'Test' {
            Invoke-Native '.NET tests' { dotnet test (Join-Path $root 'KvmPS.slnx') }
            $pester = Get-Module -ListAvailable Pester | Where-Object Version -GE ([version]'5.0') | Sort-Object Version -Descending | Select-Object -First 1
            if (-not $pester) {
                Write-Warning 'Pester 5 is not installed: skipping tests/Pester (Install-Module Pester -MinimumVersion 5.0).'
                continue
            }
            if (-not (Test-Path (Join-Path $root "out/KvmPS/$(Get-ModuleVersion)/KvmPS.psd1"))) {
                throw 'The Pester suite runs against the built module: run ./build.ps1 Build first.'
            }
            Import-Module $pester -Force
            $config = New-PesterConfiguration
            $config.Run.Path = Join-Path $root 'tests/Pester'
            $config.Run.Exit = $false
            $config.Run.PassThru = $true
            $config.Output.Verbosity = 'Detailed'
            $config.TestResult.Enabled = $true
            $config.TestResult.OutputPath = Join-Path $root 'out/pester-results.xml'
            $result = Invoke-Pester -Configuration $config
            if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') {
                throw "Pester: $($result.FailedCount) failed, $($result.PassedCount) passed."
            }
        }
        'Package' {
            $version = Get-ModuleVersion
            $moduleDir = Join-Path $root "out/KvmPS/$version"
            if (-not (Test-Path $moduleDir)) { throw 'Nothing to package: run ./build.ps1 Build first.' }
            $zip = Join-Path $root "out/KvmPS-$version.zip"
            Compress-Archive -Path (Join-Path $root 'out/KvmPS') -DestinationPath $zip -Force
            Write-Host "Packaged $zip"
        }
    }
}
