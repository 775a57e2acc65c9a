#Requires -Version 7.4
<#
.SYNOPSIS
    Brings docs/cmdlets/*.md in step with the built module's parameters.
.DESCRIPTION
    For every cmdlet of the module at -ModulePath: rewrites the ## SYNTAX section from the cmdlet's parameter sets,
    and adds a ### -Name entry (description from the parameter's HelpMessage, yaml from its metadata) for each
    parameter that ## PARAMETERS lacks, WhatIf and Confirm included. Existing descriptions are kept. A cmdlet
    without a page gets a skeleton to fill in. Run ./build.ps1 Build afterwards to recompile the MAML help.
.PARAMETER ModulePath
    The built module manifest; out/KvmPS/<version>/KvmPS.psd1 when omitted.
.EXAMPLE
    ./build.ps1 Build; ./tools/Update-CmdletHelp.ps1; ./build.ps1 Build
#>
[CmdletBinding()]
param([string] $ModulePath)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
if (-not $ModulePath) {
    $ModulePath = Get-ChildItem (Join-Path $root 'out/KvmPS') -Filter KvmPS.psd1 -Recurse | Select-Object -First 1 -ExpandProperty FullName
}
$module = Import-Module $ModulePath -Force -PassThru
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

function Get-TypeName([type] $Type) {
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    $inner = [Nullable]::GetUnderlyingType($element)
    if ($inner) { $element = $inner }
    if ($Type.IsArray) { "$($element.Name)[]" } else { $element.Name }
}

function Get-SyntaxLine($Command, $Set) {
    $line = $Set.ToString()
    foreach ($parameter in $Set.Parameters) {
        if ($parameter.ParameterType -eq [switch]) { continue }
        $pattern = '(-' + [regex]::Escape($parameter.Name) + '\]? )<[^>]+>'
        $line = [regex]::Replace($line, $pattern, { param($m) $m.Groups[1].Value + '<' + (Get-TypeName $parameter.ParameterType) + '>' })
    }
    "$($Command.Name) $line"
}

function Get-SyntaxSection($Command) {
    $sets = @($Command.ParameterSets)
    $text = [System.Text.StringBuilder]::new("## SYNTAX`n")
    foreach ($set in ($sets | Sort-Object { -not $_.IsDefault })) {
        $heading = if ($sets.Count -gt 1 -and $set.IsDefault) { "$($set.Name) (Default)" } else { $set.Name }
        $null = $text.Append("`n### $heading`n" + '```' + "`n$(Get-SyntaxLine $Command $set)`n" + '```' + "`n")
    }
    $text.ToString()
}

function Get-ParameterEntry($Command, [string] $Name) {
    $standard = @{
        WhatIf  = @('Shows what would happen if the cmdlet runs. The cmdlet is not run.', 'wi')
        Confirm = @('Prompts you for confirmation before running the cmdlet.', 'cf')
    }
    $metadata = $Command.Parameters[$Name]
    $attributes = @($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    if ($standard.ContainsKey($Name)) {
        $description = $standard[$Name][0]; $aliases = $standard[$Name][1]
    } else {
        $description = ($attributes | ForEach-Object HelpMessage | Where-Object { $_ } | Select-Object -First 1)
        $aliases = $metadata.Aliases -join ', '
    }
    $setNames = @($attributes | ForEach-Object ParameterSetName)
    $sets = if ($setNames -contains '__AllParameterSets') { '(All)' } else { $setNames -join ', ' }
    $required = if ($attributes | Where-Object Mandatory) { 'True' } else { 'False' }
    $positions = @($attributes | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Select-Object -Unique)
    $position = if ($positions.Count -eq 1) { $positions[0] } else { 'Named' }
    $pipeline = @()
    if ($attributes | Where-Object ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($attributes | Where-Object ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    $accepts = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
    $default = if ($metadata.ParameterType -eq [switch]) { 'False' } else { 'None' }
    $wildcards = if ($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) { 'True' } else { 'False' }
    @"
### -$Name
$description

``````yaml
Type: $(Get-TypeName $metadata.ParameterType)
Parameter Sets: $sets
Aliases:$(if ($aliases) { " $aliases" })

Required: $required
Position: $position
Default value: $default
Accept pipeline input: $accepts
Accept wildcard characters: $wildcards
``````

"@ + "`n"
}

foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet) {
    $path = Join-Path $root "docs/cmdlets/$($command.Name).md"
    if (-not (Test-Path $path)) {
        Write-Warning "$($command.Name) has no page; writing a skeleton to fill in: $path"
        Set-Content -Path $path -NoNewline -Value @"
---
external help file: KvmPS.dll-Help.xml
Module Name: KvmPS
online version:
schema: 2.0.0
---

# $($command.Name)

## SYNOPSIS
TODO

## SYNTAX

## DESCRIPTION
TODO

## EXAMPLES

### Example 1
``````powershell
TODO
``````

## PARAMETERS

### CommonParameters
This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).

## INPUTS

## OUTPUTS

## NOTES

## RELATED LINKS

"@
    }
    $text = (Get-Content -Raw $path) -replace "`r`n", "`n"
    $text = [regex]::Replace($text, '(?ms)^## SYNTAX\n.*?(?=^## DESCRIPTION)', { param($m) (Get-SyntaxSection $command) + "`n" })
    $text = [regex]::Replace($text, '(?m)^online version:.*$', "online version: $($command.HelpUri)")

    $documented = [regex]::Matches($text, '(?m)^### -(\w+)') | ForEach-Object { $_.Groups[1].Value }
    $wanted = @($command.Parameters.Keys | Where-Object { $_ -notin $common })
    if ($command.Parameters.ContainsKey('WhatIf')) { $wanted = @($wanted | Where-Object { $_ -notin 'WhatIf', 'Confirm' }) + 'WhatIf', 'Confirm' }
    $missing = @($wanted | Where-Object { $_ -notin $documented })
    if ($missing) {
        $entries = ($missing | ForEach-Object { Get-ParameterEntry $command $_ }) -join ''
        $anchor = $text.IndexOf("### CommonParameters")
        if ($anchor -lt 0) { throw "$path has no '### CommonParameters' entry." }
        $text = $text.Insert($anchor, $entries)
        Write-Host "$($command.Name): documented $($missing -join ', ')"
    }
    Set-Content -Path $path -Value $text -NoNewline
}
