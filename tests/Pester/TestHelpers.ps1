# Dot-sourced by every *.Tests.ps1 in BeforeAll (and BeforeDiscovery where gates need the module):
# imports the module that build.ps1 built into out/KvmPS/<version>/.
$moduleRoot = Join-Path $PSScriptRoot '../../out/KvmPS'
$manifest = Get-ChildItem -Path $moduleRoot -Filter 'KvmPS.psd1' -Recurse -ErrorAction SilentlyContinue |
    Sort-Object FullName -Descending | Select-Object -First 1
if (-not $manifest) {
    throw "KvmPS is not built: run ./build.ps1 first (looked under $moduleRoot)."
}
Import-Module $manifest.FullName -Force -ErrorAction Stop

# True when this machine has a usable KVM device; real-hardware tests gate on it.
$script:HasKvm = (Test-Path -LiteralPath '/dev/kvm') -and ((Test-KvmHost -Quiet) -eq $true)

# True in an x86_64 process; the x86-only cmdlets (MSRs, CPUID, PIC/IOAPIC, PIT, state, test kernels) gate on it.
$script:IsX64 = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'X64'
$script:CanRunX86 = $script:HasKvm -and $script:IsX64
