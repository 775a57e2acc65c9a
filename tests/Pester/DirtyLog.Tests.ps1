BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:CanRunX86Guest = $HasKvm -and [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'X64'
}
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Get-KvmDirtyLog' {
    Context 'on a real x86_64 guest' -Skip:(-not $CanRunX86Guest) {
        BeforeEach {
            $vm = New-KvmVm
            # mov byte [0x2000], 1 ; mov byte [0x4000], 2 ; hlt   (ds points at 0x10000)
            $code = [byte[]](0xC6, 0x06, 0x00, 0x20, 0x01, 0xC6, 0x06, 0x00, 0x40, 0x02, 0xF4)
            $null = $vm | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB
            Write-KvmGuestMemory -Vm $vm -GuestAddress 0x1000 -Bytes $code
            $logged = $vm | New-KvmMemoryRegion -GuestAddress 0x10000 -Size 32KB -LogDirtyPages
            $vcpu = $vm | New-KvmVcpu
            Set-KvmRegister -Vcpu $vcpu -Values @{
                'cs.base' = 0; 'cs.selector' = 0; 'ds.base' = 0x10000; 'ds.selector' = 0x1000; 'rip' = 0x1000; 'rflags' = 2
            }
        }
        AfterEach { Get-KvmVm | Remove-KvmVm -Force }

        It 'reports each page the guest wrote once, then the log is reset' {
            @($logged | Get-KvmDirtyLog).Count | Should -Be 0
            (Invoke-KvmVcpu -Vcpu $vcpu -TimeoutSeconds 5).KernelName | Should -Be 'KVM_EXIT_HLT'

            $dirty = @($logged | Get-KvmDirtyLog)
            $dirty.GuestAddress | Should -Be @(0x12000, 0x14000)
            $dirty[0].Slot | Should -Be $logged.Slot
            @($logged | Get-KvmDirtyLog).Count | Should -Be 0
        }

        It 'refuses a region created without -LogDirtyPages' {
            $plain = Get-KvmMemoryRegion -Vm $vm | Where-Object GuestAddress -EQ 0x1000
            { $plain | Get-KvmDirtyLog -ErrorAction Stop } | Should -Throw -ErrorId 'DirtyLoggingNotEnabled*'
        }
    }
}
