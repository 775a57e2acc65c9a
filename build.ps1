#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, installs and packages the KvmPS module.
.DESCRIPTION
    Build   : compiles the module, compiles docs/cmdlets into en-US/KvmPS.dll-Help.xml and lays out a
              ready-to-import module in out/KvmPS/<version>/
              (same as: dotnet build src/KvmPS -c Release -t:AssembleModule).
    Test    : builds, runs the .NET tests (dotnet test KvmPS.slnx), then the Pester suite in tests/Pester
              against the built module with Pester 5.9.1, which it restores from the NuGet feed
              (tools/Pester/Pester.Restore.csproj). Prints 'dotnet: N passed, N failed', 'pester: N passed,
              N failed' and the total 'N passed, N failed'. Fails when any test fails.
    Install : copies the built module into the user's module path (or -Destination), so that
              'Import-Module KvmPS' works by name, in new runspaces and thread jobs too
              (same as: dotnet build src/KvmPS -c Release -t:InstallModule).
    Package : makes out/packages/KvmPS.<version>.nupkg, which Install-PSResource accepts from a local
              folder repository.
    Every task fails the script (non-zero exit) when its step fails.
.PARAMETER Task
    The tasks to run, in order. Test builds first.
.PARAMETER Configuration
    The .NET build configuration.
.PARAMETER Destination
    Install: the modules folder to install into; the first user folder of PSModulePath when omitted.
.PARAMETER PesterPath
    Test: the Pester test files or folders to run; tests/Pester when omitted.
.EXAMPLE
    ./build.ps1                 # Build
.EXAMPLE
    ./build.ps1 Test            # Build, then every .NET test and the Pester suite
.EXAMPLE
    ./build.ps1 Build, Install; Import-Module KvmPS
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Install', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [string] $Destination,

    [string[]] $PesterPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$PesterVersion = '5.9.1'

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Get-ModuleVersion {
    (Import-PowerShellDataFile (Join-Path $root 'KvmPS.psd1')).ModuleVersion
}

function Get-BuiltModuleDirectory {
    $dir = Join-Path $root "out/KvmPS/$(Get-ModuleVersion)"
    if (-not (Test-Path (Join-Path $dir 'KvmPS.psd1'))) { throw "The module is not built: run ./build.ps1 Build first ($dir)." }
    $dir
}

function Invoke-Build {
    Invoke-Native 'Module build' { dotnet build (Join-Path $root 'src/KvmPS') -c $Configuration -t:AssembleModule -nologo -v:minimal }
    Write-Host "Import it with: Import-Module $(Join-Path $root "out/KvmPS/$(Get-ModuleVersion)/KvmPS.psd1")"
}

# Pester comes from the NuGet feed (no PowerShell Gallery needed): a PackageDownload puts the module files under
# <global packages folder>/pester/<version>/tools.
function Import-Pester {
    Invoke-Native 'Pester restore' { dotnet restore (Join-Path $root 'tools/Pester/Pester.Restore.csproj') -nologo -v:quiet }
    $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $manifest = Join-Path $packages.Trim() "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) { throw "Pester $PesterVersion was restored but $manifest is missing." }
    Import-Module $manifest -Force -Global
}

# Counts of every TRX file of this run: the .NET test projects write them to out/TestResults (tests/test.runsettings).
function Get-DotnetTestCount {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem (Join-Path $root 'out/TestResults') -Filter *.trx -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -Raw $trx.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $skipped += [int]$counters.total - [int]$counters.passed - [int]$counters.failed
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

# Lines tests write for the log (the ABI conformance counts per architecture), taken from the TRX files.
function Write-DotnetTestReport {
    foreach ($trx in Get-ChildItem (Join-Path $root 'out/TestResults') -Filter *.trx -ErrorAction SilentlyContinue) {
        $xml = [xml](Get-Content -Raw $trx.FullName)
        foreach ($stdout in $xml.GetElementsByTagName('StdOut')) {
            $stdout.InnerText -split "`n" | Where-Object { $_ -match '^ABI conformance ' } | Sort-Object | ForEach-Object { Write-Host $_.Trim() }
        }
    }
}

function Invoke-Test {
    Remove-Item (Join-Path $root 'out/TestResults') -Recurse -Force -ErrorAction SilentlyContinue
    dotnet test (Join-Path $root 'KvmPS.slnx') -c $Configuration -nologo
    $dotnetExit = $LASTEXITCODE
    $dotnet = Get-DotnetTestCount
    if ($dotnetExit -ne 0 -and $dotnet.Failed -eq 0) { $dotnet.Failed = 1 }   # a build or runner failure counts
    Write-DotnetTestReport
    Write-Host "dotnet: $($dotnet.Passed) passed, $($dotnet.Failed) failed, $($dotnet.Skipped) skipped"

    $null = Get-BuiltModuleDirectory
    Import-Pester
    $config = New-PesterConfiguration
    $config.Run.Path = if ($PesterPath) { $PesterPath } else { Join-Path $root 'tests/Pester' }
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = Join-Path $root 'out/pester-results.xml'
    $result = Invoke-Pester -Configuration $config
    $pesterFailed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Write-Host "pester: $($result.PassedCount) passed, $pesterFailed failed, $($result.SkippedCount) skipped"
    Write-Host "$($dotnet.Passed + $result.PassedCount) passed, $($dotnet.Failed + $pesterFailed) failed, $($dotnet.Skipped + $result.SkippedCount) skipped"
    if ($dotnet.Failed -gt 0 -or $pesterFailed -gt 0 -or $result.Result -ne 'Passed') {
        throw "Tests failed: .NET $($dotnet.Failed), Pester $pesterFailed."
    }
}

function Get-UserModulePath {
    $userModules = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'powershell/Modules'
    $onPath = $env:PSModulePath -split [IO.Path]::PathSeparator | Where-Object { $_ -eq $userModules }
    if (-not $onPath) { Write-Warning "$userModules is not on PSModulePath; Import-Module KvmPS by name will not find it." }
    $userModules
}

function Invoke-Install {
    $source = Get-BuiltModuleDirectory
    $modules = if ($Destination) { $Destination } else { Get-UserModulePath }
    $target = Join-Path $modules "KvmPS/$(Get-ModuleVersion)"
    # A loaded KvmPS.dll cannot be replaced in this process, but its file can: new processes get the new one.
    Remove-Item $target -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Path $target -Force
    Copy-Item -Path (Join-Path $source '*') -Destination $target -Recurse -Force
    Write-Host "Installed KvmPS $(Get-ModuleVersion) to $target"
}

function Invoke-Package {
    $source = Get-BuiltModuleDirectory
    $packages = Join-Path $root 'out/packages'
    $null = New-Item -ItemType Directory -Path $packages -Force
    Remove-Item (Join-Path $packages "KvmPS.$(Get-ModuleVersion).nupkg") -ErrorAction SilentlyContinue
    Import-Module Microsoft.PowerShell.PSResourceGet
    Compress-PSResource -Path $source -DestinationPath $packages
    Write-Host "Packaged $(Join-Path $packages "KvmPS.$(Get-ModuleVersion).nupkg")"
}

$ordered = @($Task)
if ('Test' -in $ordered -and 'Build' -notin $ordered) { $ordered = @('Build') + $ordered }
foreach ($step in $ordered) {
    switch ($step) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Install' { Invoke-Install }
        'Package' { Invoke-Package }
    }
}
