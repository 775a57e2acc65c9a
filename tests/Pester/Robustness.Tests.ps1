# Crash-proof scenarios: each dangerous case of issue 10 runs in a child pwsh that must exit normally (not 139,
# not killed by the timeout), so a regression fails one test instead of killing the run. Then the clear errors,
# and a metadata-driven pass of $null / empty / out-of-range arguments over every cmdlet.
BeforeDiscovery { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Manifest = (Get-Module KvmPS).Path -replace '\.dll$', '.psd1'
    if (-not (Test-Path $script:Manifest)) { $script:Manifest = (Get-ChildItem (Join-Path $PSScriptRoot '../../out/KvmPS') -Filter KvmPS.psd1 -Recurse | Select-Object -First 1).FullName }

    # Runs $Script in a child pwsh (optionally under a shell prefix such as 'ulimit -n 300;'); kills it after
    # $TimeoutSeconds. Returns the exit code (-1 when killed), whether it hung, and its output.
    function Invoke-Child {
        param([string] $Script, [int] $TimeoutSeconds = 60, [string] $ShellPrefix = '')
        $file = New-TemporaryFile
        Set-Content -LiteralPath $file -Value ("`$ErrorActionPreference = 'Continue'; Import-Module `$env:KVMPS_PSD1 -ErrorAction Stop`n" + $Script)
        # This pwsh, whether it runs as an apphost or as `dotnet pwsh.dll` (the local tool).
        $pwsh = "'$([Environment]::ProcessPath)'"
        if ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
            $pwsh += " '$([System.Reflection.Assembly]::GetEntryAssembly().Location)'"
        }
        $info = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
        $info.ArgumentList.Add('-c')
        $info.ArgumentList.Add("$ShellPrefix exec $pwsh -NoProfile -NonInteractive -File '$file'")
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.Environment['NO_COLOR'] = '1'
        $info.Environment['KVMPS_PSD1'] = $Manifest
        $process = [System.Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $hung = -not $process.WaitForExit($TimeoutSeconds * 1000)
        if ($hung) { $process.Kill($true); $process.WaitForExit() }
        Remove-Item -LiteralPath $file
        [pscustomobject]@{ ExitCode = if ($hung) { -1 } else { $process.ExitCode }; Hung = $hung; Output = $stdout.Result + $stderr.Result }
    }

    $script:SpinningVcpu = @'
$vm = New-KvmVm
$region = $vm | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB
$region | Write-KvmGuestMemory -GuestAddress 0x1000 -Bytes ([byte[]](0xEB, 0xFE))
$vcpu = $vm | New-KvmVcpu
$vcpu | Set-KvmRegister -Values @{ 'cs.base' = 0; 'cs.selector' = 0; rip = 0x1000; rflags = 0x2 }
$runner = [powershell]::Create()
$null = $runner.AddScript({ param($psd1, $vcpu) Import-Module $psd1; Invoke-KvmVcpu -Vcpu $vcpu }).AddArgument($env:KVMPS_PSD1).AddArgument($vcpu)
$handle = $runner.BeginInvoke()
$wait = [System.Diagnostics.Stopwatch]::StartNew()
while (-not $vcpu.IsRunning -and $wait.Elapsed.TotalSeconds -lt 20) { Start-Sleep -Milliseconds 10 }
if (-not $vcpu.IsRunning) { "the vCPU never started: $($runner.Streams.Error)"; exit 3 }
Start-Sleep -Milliseconds 200

'@
}

Describe 'Dangerous scenarios, each in a child process' -Skip:(-not $HasKvm) {
    It 'Get-KvmDirtyLog of a removed region whose slot now holds 1 GB is an error, not a SIGSEGV' {
        $child = Invoke-Child @'
$vm = New-KvmVm
$old = $vm | New-KvmMemoryRegion -GuestAddress 0x1000 -Size 4KB -LogDirtyPages -Slot 0
Remove-KvmMemoryRegion $old -Confirm:$false
$null = $vm | New-KvmMemoryRegion -GuestAddress 0x100000 -Size 1GB -LogDirtyPages -Slot 0
foreach ($i in 1..5) {
    Get-KvmDirtyLog -Region $old -ErrorAction SilentlyContinue -ErrorVariable e
    "error: $($e[0].FullyQualifiedErrorId)"
    $null = foreach ($j in 1..20000) { [byte[]]::new(100) }; [GC]::Collect()
}
'survived'
'@
        $child.Output | Should -Match 'error: MemoryRegionRemoved'
        $child.Output | Should -Match 'survived'
        $child.ExitCode | Should -Be 0
    }

    It 'removing <What> while another runspace reads 256 MB of it ends the read cleanly' -ForEach @(
        @{ What = 'the region'; Remove = 'Remove-KvmMemoryRegion $region -Confirm:$false' }
        @{ What = 'the VM'; Remove = 'Remove-KvmVm $vm -Confirm:$false' }
    ) {
        $child = Invoke-Child -TimeoutSeconds 120 (@'
$vm = New-KvmVm
$region = $vm | New-KvmMemoryRegion -GuestAddress 0x100000 -Size 256MB
$reader = [powershell]::Create()
$null = $reader.AddScript({ param($psd1, $vm) Import-Module $psd1; for ($i = 0; $i -lt 10; $i++) { $null = Read-KvmGuestMemory -Vm $vm -GuestAddress 0x100000 -Length 256MB -ErrorAction Stop } }).AddArgument($env:KVMPS_PSD1).AddArgument($vm)
$handle = $reader.BeginInvoke()
Start-Sleep -Milliseconds 300
REMOVE
try { $null = $reader.EndInvoke($handle) } catch { "reader error: $($_.Exception.InnerException.ErrorRecord.FullyQualifiedErrorId)$($_.FullyQualifiedErrorId)" }
'survived'
'@ -replace 'REMOVE', $Remove)
        $child.Output | Should -Match 'survived'
        $child.ExitCode | Should -Be 0
    }

    It 'Remove-KvmVm with a vCPU in KVM_RUN in another runspace returns in under one second' {
        $child = Invoke-Child -TimeoutSeconds 60 ($SpinningVcpu + @'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
Remove-KvmVm $vm -Confirm:$false
"removal took $([int]$clock.Elapsed.TotalMilliseconds) ms"
$null = $runner.EndInvoke($handle)
'survived'
'@)
        $child.Hung | Should -BeFalse -Because 'Remove-KvmVm must not wait on the guest'
        $child.Output | Should -Match 'survived'
        $child.ExitCode | Should -Be 0
        $ms = [int]([regex]::Match($child.Output, 'removal took (\d+) ms').Groups[1].Value)
        Write-Host "Remove-KvmVm with a vCPU in KVM_RUN took $ms ms"
        $ms | Should -BeLessThan 1000
    }

    It 'Remove-Module KvmPS with a vCPU in KVM_RUN returns' {
        $child = Invoke-Child -TimeoutSeconds 60 ($SpinningVcpu + @'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
Remove-Module KvmPS
"module removal took $([int]$clock.Elapsed.TotalMilliseconds) ms"
'survived'
'@)
        $child.Hung | Should -BeFalse
        $child.Output | Should -Match 'survived'
        $child.ExitCode | Should -Be 0
    }

    It 'Get-KvmRegister on a vCPU that another runspace runs fails at once with VcpuBusy' {
        $child = Invoke-Child -TimeoutSeconds 60 ($SpinningVcpu + @'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
Get-KvmRegister -Vcpu $vcpu -Name rip -ErrorAction SilentlyContinue -ErrorVariable e
"busy: $($e[0].FullyQualifiedErrorId) after $([int]$clock.Elapsed.TotalMilliseconds) ms"
Remove-KvmVm $vm -Confirm:$false
'survived'
'@)
        $child.Hung | Should -BeFalse
        $child.Output | Should -Match 'busy: VcpuBusy,KvmPS.Commands.GetKvmRegisterCommand'
        $child.ExitCode | Should -Be 0
    }

    It 'New-KvmVcpu at the descriptor limit (ulimit -n 300) is an ErrorRecord that honours -ErrorAction' {
        $child = Invoke-Child -ShellPrefix 'ulimit -n 300;' -TimeoutSeconds 120 @'
$vms = @(New-KvmVm; New-KvmVm; New-KvmVm)
$err = $null
:outer foreach ($vm in $vms) {
    foreach ($i in 1..400) {
        $null = New-KvmVcpu -Vm $vm -ErrorAction SilentlyContinue -ErrorVariable e
        if ($e) { $err = $e[0]; break outer }
    }
}
"limit error: $($err.FullyQualifiedErrorId) [$($err.Exception.GetType().Name)]"
Get-KvmVm | Remove-KvmVm -Confirm:$false
'survived'
'@
        $child.Output | Should -Match 'limit error: (VcpuThreadStartFailed|KVM_CREATE_VCPU\.EMFILE|mmap\(kvm_run\)\.\w+),KvmPS.Commands.NewKvmVcpuCommand \[KvmPSException|KvmIoctlException\]'
        $child.Output | Should -Match 'survived'
        $child.ExitCode | Should -Be 0
    }
}

Describe 'Clear errors instead of raw exceptions' -Skip:(-not $HasKvm) {
    BeforeEach { $vm = New-KvmVm }
    AfterEach { Get-KvmVm | Remove-KvmVm -Confirm:$false }

    It 'Get-KvmVcpu -Vm @($null) is NullArgument' {
        { Get-KvmVcpu -Vm @($null) -ErrorAction Stop } | Should -Throw -ErrorId 'NullArgument,*'
    }

    It 'Get-KvmVcpu -Id 77 of no vCPU is VcpuNotFound, like Get-KvmVm -Id 9999' {
        { Get-KvmVcpu -Id 77 -ErrorAction Stop } | Should -Throw -ErrorId 'VcpuNotFound,*'
        { Get-KvmVm -Id 9999 -ErrorAction Stop } | Should -Throw -ErrorId 'VmNotFound,*'
    }

    It 'Write-KvmGuestMemory -Path /dev/zero stops at the region and writes nothing' {
        $region = $vm | New-KvmMemoryRegion -GuestAddress 0x100000 -Size 1MB
        $region | Write-KvmGuestMemory -GuestAddress 0x100000 -Bytes ([byte[]](7))
        { Write-KvmGuestMemory -Vm $vm -GuestAddress 0x100000 -Path /dev/zero -ErrorAction Stop } | Should -Throw -ErrorId 'SourceLargerThanTarget,*'
        (Read-KvmGuestMemory -Vm $vm -GuestAddress 0x100000 -Length 1)[0] | Should -Be 7
    }

    It 'Write-KvmGuestMemory -Path with a file larger than the region fails before reading' {
        $null = $vm | New-KvmMemoryRegion -GuestAddress 0x100000 -Size 4KB
        $file = New-TemporaryFile
        [System.IO.File]::WriteAllBytes($file, [byte[]]::new(8KB))
        { Write-KvmGuestMemory -Vm $vm -GuestAddress 0x100000 -Path $file -ErrorAction Stop } | Should -Throw -ErrorId 'GuestAddressNotMapped,*'
        Remove-Item $file
    }

    It 'Read-KvmGuestMemory -Length ([int]::MaxValue) of a 4 GB region is GuestMemoryReadTooLarge' {
        $null = $vm | New-KvmMemoryRegion -GuestAddress 0x100000000 -Size 4GB
        { Read-KvmGuestMemory -Vm $vm -GuestAddress 0x100000000 -Length ([int]::MaxValue) -ErrorAction Stop } | Should -Throw -ErrorId 'GuestMemoryReadTooLarge,*'
    }

    It 'Set-KvmRegister -Values @{rax=$null} is NullArgument and writes nothing' {
        $vcpu = $vm | New-KvmVcpu
        $vcpu | Set-KvmRegister -Name rax -Value 5
        { $vcpu | Set-KvmRegister -Values @{ rax = $null } -ErrorAction Stop } | Should -Throw -ErrorId 'NullArgument,*'
        (Get-KvmRegister -Vcpu $vcpu -Name rax).Value | Should -Be 5
    }

    It 'KVM_RUN ENOSPC (no memory at the reset vector) says what to do' -Skip:(-not ((uname -m) -eq 'x86_64')) {
        $vcpu = $vm | New-KvmVcpu
        $err = $null
        try { Invoke-KvmVcpu -Vcpu $vcpu -TimeoutSeconds 2 -ErrorAction Stop } catch { $err = $_ }
        if ($err.FullyQualifiedErrorId -like 'KVM_RUN.ENOSPC*') { $err.Exception.Message | Should -Match 'reset vector' }
    }

    It 'Test-KvmHost -DevicePath /tmp names EISDIR' {
        (Test-KvmHost -DevicePath /tmp | Where-Object Check -eq Device).Detail | Should -Match 'EISDIR \(21, Is a directory\)'
    }

    It 'a size no process can map does not suggest ulimit -l' {
        $err = $null
        try { New-KvmMemoryRegion -Vm $vm -GuestAddress 0 -Size ([uint64]::MaxValue - 4095) -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -Not -Match 'ulimit -l'
    }

    It 'New-KvmVm -MachineType 99 explains the machine types' {
        $err = $null
        try { New-KvmVm -MachineType 99 -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'KVM_CREATE_VM.EINVAL*'
        $err.Exception.Message | Should -Match 'Machine type 99'
    }
}

Describe 'Every cmdlet with $null, empty and out-of-range arguments' -Skip:(-not $HasKvm) {
    It 'never reports NullReferenceException, OutOfMemoryException or InvalidOperationException' {
        # The driver reads each cmdlet's parameters from its metadata; valid objects fill the other mandatory
        # parameters so the bad value reaches the cmdlet's own code. It runs in a child: a crash fails this test.
        $child = Invoke-Child -TimeoutSeconds 300 @'
$vm = New-KvmVm
$region = $vm | New-KvmMemoryRegion -GuestAddress 0x10000 -Size 64KB
$vcpu = $vm | New-KvmVcpu
$goneVm = New-KvmVm; $goneVcpu = $goneVm | New-KvmVcpu; $goneRegion = $goneVm | New-KvmMemoryRegion -GuestAddress 0x10000 -Size 4KB
Remove-KvmVm $goneVm -Confirm:$false
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
function Valid([type] $t) {
    $e = if ($t.IsArray) { $t.GetElementType() } else { $t }
    $v = switch ($e) {
        ([KvmPS.Kvm.KvmVm]) { $vm } ([KvmPS.Kvm.KvmVcpu]) { $vcpu } ([KvmPS.Kvm.GuestMemoryRegion]) { $region }
        ([string]) { 'x' } ([byte]) { [byte]1 } default { if ($e.IsEnum) { [Enum]::GetValues($e)[0] } elseif ($e.IsValueType) { [Activator]::CreateInstance($e) } else { $null } }
    }
    if ($t.IsArray) { , @($v) } else { $v }
}
function Bad([type] $t) {
    $e = if ($t.IsArray) { $t.GetElementType() } else { $t }
    $values = [System.Collections.Generic.List[object]]::new()
    $values.Add($null)
    if ($t.IsArray) { $values.Add(@()); $values.Add(@($null)) }
    if ($e -eq [string]) { $values.Add('') ; $values.Add('/nonexistent/kvm') }
    foreach ($f in 'MaxValue', 'MinValue') { if ($e.GetField($f)) { $values.Add($e.GetField($f).GetValue($null)) } }
    switch ($e) { ([KvmPS.Kvm.KvmVm]) { $values.Add($goneVm) } ([KvmPS.Kvm.KvmVcpu]) { $values.Add($goneVcpu) } ([KvmPS.Kvm.GuestMemoryRegion]) { $values.Add($goneRegion) } ([hashtable]) { $values.Add(@{}); $values.Add(@{ rax = $null }) } }
    $values
}
$raw = 'System.NullReferenceException', 'System.OutOfMemoryException', 'System.InvalidOperationException'
$runs = 0
foreach ($command in Get-Command -Module KvmPS -CommandType Cmdlet) {
    foreach ($set in $command.ParameterSets) {
        $params = $set.Parameters | Where-Object { $_.Name -notin $common -and $_.ParameterType -ne [switch] }
        foreach ($target in $params) {
            foreach ($value in (Bad $target.ParameterType)) {
                $arguments = @{}
                foreach ($p in $params | Where-Object { $_.IsMandatory -and $_.Name -ne $target.Name }) { $arguments[$p.Name] = Valid $p.ParameterType }
                $arguments[$target.Name] = $value
                if ($command.Parameters.ContainsKey('Confirm')) { $arguments['Confirm'] = $false }
                # Cmdlets that wait until the guest does something (Invoke-KvmVcpu -Count, Wait-KvmVm) get a bound on it
                # unless the timeout is the value under test; a VM that Start-KvmVm started is stopped after each call.
                if ($command.Parameters.ContainsKey('TimeoutSeconds') -and $target.Name -ne 'TimeoutSeconds') { $arguments['TimeoutSeconds'] = 1 }
                $errors = @()
                try { $null = & $command.Name @arguments -ErrorAction SilentlyContinue -ErrorVariable +errors } catch { $errors += $_ }
                if ($vm.State -eq 'Running') { $vm | Stop-KvmVm }
                $runs++
                foreach ($e in $errors) {
                    $exception = if ($e -is [System.Management.Automation.ErrorRecord]) { $e.Exception } else { $e -as [Exception] }
                    if ($null -eq $exception) { continue }
                    $type = $exception.GetType().FullName
                    if ($type -in $raw) { "RAW $($command.Name) -$($target.Name) [$value]: $type $($exception.Message)" }
                }
            }
        }
    }
}
"drove $runs calls"
Get-KvmVm | Remove-KvmVm -Confirm:$false
'survived'
'@
        Write-Host ($child.Output -split "`n" | Select-String 'drove|RAW' | Select-Object -First 20 | Out-String)
        $child.Output | Should -Not -Match 'RAW '
        $child.Output | Should -Match 'drove \d+ calls'
        $child.Output | Should -Match 'survived'
        $child.ExitCode | Should -Be 0
    }
}
