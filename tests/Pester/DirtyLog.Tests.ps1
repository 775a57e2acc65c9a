BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Get-KvmDirtyLog' {
    Context 'on a real x86_64 guest' -Skip:(-not $CanRunX86) {
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

Describe 'Get-KvmDirtyLog -Vm (dirty ring)' {
    BeforeDiscovery {
        $script:HasDirtyRing = $CanRunX86 -and (Test-KvmCapability -Name DirtyLogRing)
    }

    Context 'on a real x86_64 guest with KVM_CAP_DIRTY_LOG_RING' -Skip:(-not $HasDirtyRing) {
        AfterEach { Get-KvmVm | Remove-KvmVm -Force }

        It 'harvests the pages the guest wrote from the vCPU rings, once' {
            # New-KvmVm -Memory logs dirty pages when the ring is on; mov byte [0x2000], 1 ; mov byte [0x4000], 2 ; hlt
            $vm = New-KvmVm -DirtyRingSize 64KB -Memory 1MB
            $vm.DirtyRingBytes | Should -Be 65536
            Write-KvmGuestMemory -Vm $vm -GuestAddress 0x1000 -Bytes ([byte[]](0xC6, 0x06, 0x00, 0x20, 0x01, 0xC6, 0x06, 0x00, 0x40, 0x02, 0xF4))
            $vcpu = $vm | New-KvmVcpu
            Set-KvmRegister -Vcpu $vcpu -Values @{ 'cs.base' = 0; 'cs.selector' = 0; 'ds.base' = 0; 'ds.selector' = 0; 'rip' = 0x1000; 'rflags' = 2 }
            (Invoke-KvmVcpu -Vcpu $vcpu -TimeoutSeconds 5).KernelName | Should -Be 'KVM_EXIT_HLT'

            $dirty = @(Get-KvmDirtyLog -Vm $vm)
            $dirty.GuestAddress | Should -Contain 0x2000
            $dirty.GuestAddress | Should -Contain 0x4000
            $dirty[0].VcpuId | Should -Be 0
            @(Get-KvmDirtyLog -Vm $vm).Count | Should -Be 0
        }

        It 'says to read the ring when the bitmap is asked for' {
            $vm = New-KvmVm -DirtyRingSize 64KB -Memory 1MB
            { Get-KvmMemoryRegion -Vm $vm | Get-KvmDirtyLog -ErrorAction Stop } | Should -Throw -ErrorId 'DirtyLogIsRing*'
        }

        It 'refuses a ring size that is not a power of two' {
            { New-KvmVm -DirtyRingSize 12KB } | Should -Throw -ErrorId 'InvalidDirtyRingSize*'
        }

        It 'says the ring is not enabled' {
            { Get-KvmDirtyLog -Vm (New-KvmVm) -ErrorAction Stop } | Should -Throw -ErrorId 'DirtyRingNotEnabled*'
        }
    }
}
