@{
    RootModule           = 'KvmPS.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1c2b9e-8d4a-4f7e-9a51-3c2e7b0d5a14'
    Author               = 'KvmPS developers'
    CompanyName          = 'KvmPS'
    Copyright            = '(c) KvmPS developers. All rights reserved.'
    Description          = 'Administers Linux KVM through its real kernel interface (/dev/kvm and VFIO ioctls): VMs, vCPUs, guest memory, exits, and the x86, powerpc sPAPR, ARM and s390 specifics.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('KvmPS.Format.ps1xml')
    CmdletsToExport      = @(
        'Clear-KvmSpaprTce'
        'Enable-KvmPpcOsi'
        'Enable-KvmPpcPapr'
        'Enable-KvmPpcSoftwareTlb'
        'Export-KvmSpaprTce'
        'Get-KvmCapability'
        'Get-KvmDirtyLog'
        'Get-KvmHost'
        'Get-KvmMemoryRegion'
        'Get-KvmPpcPvInfo'
        'Get-KvmPpcSmmuInfo'
        'Get-KvmRegister'
        'Get-KvmSpaprTce'
        'Get-KvmSpaprTceEntry'
        'Get-KvmVcpu'
        'Get-KvmVm'
        'Import-KvmSpaprTce'
        'Initialize-KvmPpcHashTable'
        'Invoke-KvmVcpu'
        'New-KvmMemoryRegion'
        'New-KvmPpcRma'
        'New-KvmSpaprTce'
        'New-KvmVcpu'
        'New-KvmVm'
        'Read-KvmGuestMemory'
        'Remove-KvmMemoryRegion'
        'Remove-KvmSpaprTce'
        'Remove-KvmVm'
        'Set-KvmRegister'
        'Set-KvmSpaprTceEntry'
        'Sync-KvmPpcTlb'
        'Test-KvmCapability'
        'Test-KvmHost'
        'Write-KvmGuestMemory'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('KVM', 'Linux', 'Virtualization', 'VFIO', 'Hypervisor', 'PSEdition_Core')
            ProjectUri = ''
        }
    }
}
