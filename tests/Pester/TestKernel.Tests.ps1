BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

BeforeDiscovery {
    # The project's test kernels are multiboot ELF32 images built from tests/TestKernels with gcc and ld; they boot
    # only on an x86_64 host with /dev/kvm.
    $HasToolchain = [bool](Get-Command gcc -ErrorAction Ignore) -and [bool](Get-Command ld -ErrorAction Ignore)
    $CanBoot = $HasKvm -and $IsX64 -and $HasToolchain
}

BeforeAll {
    $script:Kernels = Join-Path $PSScriptRoot '../../out/test-kernels'
    if ((Get-Command gcc -ErrorAction Ignore) -and (Get-Command ld -ErrorAction Ignore)) {
        sh (Join-Path $PSScriptRoot '../TestKernels/build.sh') $script:Kernels | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "tests/TestKernels/build.sh failed ($LASTEXITCODE)" }
    }
    function Kernel([string] $Name) { Join-Path $script:Kernels "$Name.elf" }
}

AfterAll {
    Get-KvmVm | Remove-KvmVm -Confirm:$false
}

Describe 'Invoke-KvmTestKernel' {
    Context 'with the project''s test kernels' -Skip:(-not $CanBoot) {
        It 'reports Pass with exit status 1 for a kernel that says hello' {
            $result = Invoke-KvmTestKernel (Kernel hello)
            $result.GetType().FullName | Should -Be 'KvmPS.Boot.TestKernelResult'
            $result.Status | Should -Be 'Pass'
            $result.ExitStatus | Should -Be 1
            $result.Lines | Should -Be @('PASS: hello')
            $result.PassCount | Should -Be 1
            $result.FailCount | Should -Be 0
            $result.Duration | Should -BeOfType [timespan]
            $result.Statistics.ExitCount | Should -BeGreaterThan 0
        }

        It 'carries the kernel''s own statistics of the run where the host has KVM_CAP_BINARY_STATS_FD' -Skip:(-not ($HasKvm -and (Test-KvmCapability -Name BinaryStatsFd))) {
            $result = Invoke-KvmTestKernel (Kernel hello)
            $exits = $result.Statistics.Vcpus[0].Kernel | Where-Object Name -eq 'exits'
            $exits.Kind | Should -Be 'Cumulative'
            $exits.Value | Should -BeGreaterOrEqual $result.Statistics.Vcpus[0].ExitCount
            $result.Statistics.Kernel.Count | Should -BeGreaterThan 0
        }

        It 'reports Fail (exit status 3) and Skip (exit status 77)' {
            $fail = Invoke-KvmTestKernel (Kernel fail)
            $fail.Status | Should -Be 'Fail'
            $fail.ExitStatus | Should -Be 3
            $fail.FailCount | Should -Be 1
            $skip = Invoke-KvmTestKernel (Kernel skip)
            $skip.Status | Should -Be 'Skip'
            $skip.ExitStatus | Should -Be 77
            $skip.SkipCount | Should -Be 1
        }

        It 'passes the command line and the environment module to the kernel' {
            $result = Invoke-KvmTestKernel (Kernel env) -Append 'expect=ANSWER=42' -Environment @{ ANSWER = 42 }
            $result.Status | Should -Be 'Pass' -Because ($result.Output)
            $missing = Invoke-KvmTestKernel (Kernel env) -Append 'expect=ANSWER=43' -Environment @{ ANSWER = 42 }
            $missing.Status | Should -Be 'Fail'
        }

        It 'puts NR_CPUS and MEMSIZE into the environment, and the caller''s entries win' {
            (Invoke-KvmTestKernel (Kernel env) -Append 'expect=NR_CPUS=1').Status | Should -Be 'Pass'
            (Invoke-KvmTestKernel (Kernel env) -Append 'expect=MEMSIZE=64' -Memory 64MB).Status | Should -Be 'Pass'
            (Invoke-KvmTestKernel (Kernel env) -Append 'expect=MEMSIZE=1' -Environment @{ MEMSIZE = 1 }).Status | Should -Be 'Pass'
        }

        It 'tells the kernel the CPU count through fw_cfg' {
            $result = Invoke-KvmTestKernel (Kernel fwcfg) -Smp 3 -Append 'cpus=3'
            $result.Status | Should -Be 'Pass' -Because ($result.Output)
            $result.Output | Should -Match 'cpus=3'
        }

        It 'lets the kernel start <Smp> vCPUs with its own INIT/SIPI' -ForEach @(@{ Smp = 2 }, @{ Smp = 4 }) {
            $result = Invoke-KvmTestKernel (Kernel smp) -Smp $Smp -TimeoutSeconds 30
            $result.Status | Should -Be 'Pass' -Because "$($result.Reason) $($result.Output)"
            $result.Output | Should -Match "PASS: smp cpus=$Smp"
        }

        It 'boots a kernel that switches to 64-bit long mode, as ELF32 and as ELF64' {
            foreach ($name in 'longmode', 'longmode64') {
                $result = Invoke-KvmTestKernel (Kernel $name)
                $result.Status | Should -Be 'Pass' -Because "$name $($result.Reason)"
                $result.Lines | Should -Contain 'PASS: long mode'
            }
        }

        It 'ends a kernel that spins forever in Timeout within the timeout plus 100 ms' {
            $result = Invoke-KvmTestKernel (Kernel spin) -TimeoutSeconds 0.5
            $result.Status | Should -Be 'Timeout'
            $result.ExitStatus | Should -BeNullOrEmpty
            Write-Host "spin kernel: Timeout after $([int]$result.RunDuration.TotalMilliseconds) ms of running (timeout 500 ms; $([int]$result.Duration.TotalMilliseconds) ms with setup)"
            $result.RunDuration.TotalMilliseconds | Should -BeGreaterOrEqual 500
            $result.RunDuration.TotalMilliseconds | Should -BeLessThan 600
        }

        It 'ends a kernel that hits an instruction the host cannot run in Error with the kernel''s exit reason, not a hang' {
            $result = Invoke-KvmTestKernel (Kernel emulation) -TimeoutSeconds 10
            $result.Status | Should -Be 'Error'
            Write-Host "emulation kernel: $($result.Reason)"
            # Emulated CPL0 code (nested hosts) gives up on int3 in protected mode; natively, without an IDT, it is a triple fault.
            $result.Reason | Should -Match 'KVM_INTERNAL_ERROR_EMULATION|triple fault'
            $result.RunDuration.TotalSeconds | Should -BeLessThan 5
        }

        It 'ends a kernel that triple-faults in Error with the reason' {
            $result = Invoke-KvmTestKernel (Kernel triplefault)
            $result.Status | Should -Be 'Error'
            $result.Reason | Should -Match 'triple fault'
        }

        It 'boots every kernel piped from Get-ChildItem and shows them as a table' {
            $results = @(Get-ChildItem (Kernel hello), (Kernel fail) | Invoke-KvmTestKernel)
            $results.Status | Should -Be @('Pass', 'Fail')
            $table = $results | Out-String
            $table | Should -Match 'Kernel\s+Status\s+ExitStatus'
            $table | Should -Match 'hello\.elf\s+Pass\s+1'
        }

        It 'stops the kernel and removes its VM when the pipeline stops (Ctrl+C)' {
            $before = @(Get-KvmVm).Count
            # One statement per invocation: a stopped multi-statement batch can race the runspace's disposal in
            # PowerShell itself (BatchInvocationWorkItem) and take the process down.
            $ps = [powershell]::Create()
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Get-Module KvmPS).Path).Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddCommand('Invoke-KvmTestKernel').AddParameter('Path', (Kernel spin)).AddParameter('TimeoutSeconds', 60)
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 500
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            $async.IsCompleted | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
            $ps.Dispose()
            @(Get-KvmVm).Count | Should -Be $before
        }

        It 'refuses memory outside 1 MB to 3 GB and leaves no VM behind' {
            $before = @(Get-KvmVm).Count
            { Invoke-KvmTestKernel (Kernel hello) -Memory 4GB -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMemorySize,*'
            @(Get-KvmVm).Count | Should -Be $before
        }

        It 'leaves no VM behind' {
            $before = @(Get-KvmVm).Count
            $null = Invoke-KvmTestKernel (Kernel hello)
            @(Get-KvmVm).Count | Should -Be $before
        }

        It 'boots nothing with -WhatIf' {
            Invoke-KvmTestKernel (Kernel hello) -WhatIf | Should -BeNullOrEmpty
        }
    }

    Context 'with images that are not multiboot kernels' -Skip:(-not ($HasKvm -and $IsX64)) {
        It 'says NullArgument for an environment value of $null' {
            { Invoke-KvmTestKernel (Join-Path $TestDrive 'x.elf') -Environment @{ A = $null } -ErrorAction Stop } | Should -Throw -ErrorId 'NullArgument,*'
        }

        It 'says InvalidKernelImage for a file that is not ELF, and creates no VM' {
            $bad = Join-Path $TestDrive 'not-a-kernel.elf'
            [IO.File]::WriteAllBytes($bad, [byte[]](1..64))
            $before = @(Get-KvmVm).Count
            { Invoke-KvmTestKernel $bad -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidKernelImage,*'
            @(Get-KvmVm).Count | Should -Be $before
        }

        It 'says KernelImageNotFound for a path with no file' {
            { Invoke-KvmTestKernel (Join-Path $TestDrive 'missing.elf') -ErrorAction Stop } | Should -Throw -ErrorId 'KernelImageNotFound,*'
        }

        It 'refuses -Smp 0 when binding' {
            { Invoke-KvmTestKernel (Join-Path $TestDrive 'x.elf') -Smp 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }
    }
}

Describe 'Import-KvmKernel' {
    Context 'with the project''s test kernels' -Skip:(-not $CanBoot) {
        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'builds a bootable VM from the pipeline: New-KvmVm -Memory -Smp | Import-KvmKernel | Start-KvmVm | Wait-KvmVm' {
            $vm = New-KvmVm -Memory 128MB -Smp 2 | Import-KvmKernel -Path (Kernel smp) | Start-KvmVm -PassThru | Wait-KvmVm -TimeoutSeconds 30
            $vm.State | Should -Be 'Stopped'
            $vm.ExitStatus | Should -Be 1
            Receive-KvmSerialOutput -Vm $vm -All | Should -Match 'PASS: smp cpus=2'
        }

        It 'gives a bare VM 256 MB of RAM, an irqchip and one vCPU' {
            $vm = New-KvmVm | Import-KvmKernel (Kernel hello)
            $vm.HasIrqchip | Should -BeTrue
            @($vm.Vcpus).Count | Should -Be 1
            $vm.MemoryRegions[0].GuestAddress | Should -Be 0
            $vm.MemoryRegions[0].Size | Should -Be 256MB
            (Get-KvmRegister -Vcpu $vm.Vcpus[0] -Name rax).Value | Should -Be 0x2BADB002
        }

        It 'refuses a VM with several vCPUs and no irqchip' {
            $vm = New-KvmVm -Memory 64MB
            0, 1 | ForEach-Object { $null = New-KvmVcpu -Vm $vm -Id $_ }
            { $vm | Import-KvmKernel (Kernel hello) -ErrorAction Stop } | Should -Throw -ErrorId 'SmpNeedsIrqchip,*'
        }

        It 'changes nothing with -WhatIf' {
            $vm = New-KvmVm
            $vm | Import-KvmKernel (Kernel hello) -WhatIf
            @($vm.MemoryRegions).Count | Should -Be 0
        }
    }
}

Describe 'New-KvmVm -Memory -Smp' {
    Context 'on an x86_64 host with KVM' -Skip:(-not ($HasKvm -and $IsX64)) {
        AfterEach {
            Get-KvmVm | Remove-KvmVm -Confirm:$false
        }

        It 'creates RAM from address 0 and the irqchip before vCPUs 0..N-1' {
            $vm = New-KvmVm -Memory 0x4000000 -Smp 3
            $vm.MemoryRegions.Count | Should -Be 1
            $vm.MemoryRegions[0].Size | Should -Be 64MB
            $vm.HasIrqchip | Should -BeTrue
            $vm.HasPit | Should -BeTrue
            $vm.Vcpus.Id | Should -Be @(0, 1, 2)
            Get-KvmMpState -Vcpu $vm.Vcpus[1] | Should -Be 'Uninitialized'
        }

        It 'removes the VM again when the memory is refused' {
            $before = @(Get-KvmVm).Count
            { New-KvmVm -Memory 5GB -Smp 1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMemorySize,*'
            @(Get-KvmVm).Count | Should -Be $before
        }
    }
}
