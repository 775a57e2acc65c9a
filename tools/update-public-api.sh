#!/usr/bin/env bash
# tools/update-public-api.sh: records the module's current public .NET API in src/KvmPS/PublicAPI.Shipped.txt.
# The build fails (RS0016, Microsoft.CodeAnalysis.PublicApiAnalyzers) when a public member is not listed there, so
# growing the public surface is a decision: make the member internal, or run this and commit the new lines.
# The analyzer's own code fix needs an IDE; this reads the API names it reports from a SARIF log instead.
set -euo pipefail
cd "$(dirname "$0")/.."
api=src/KvmPS/PublicAPI.Shipped.txt
sarif=$(mktemp --suffix=.sarif)
trap 'rm -f "$sarif"' EXIT
for pass in 1 2 3 4 5; do
    dotnet build src/KvmPS --no-incremental -c Release -nologo -v:q "-p:ErrorLog=$sarif%2Cversion=2.1" >/dev/null 2>&1 || true
    added=$(python3 - "$sarif" "$api" <<'PY'
import json, sys
sarif, api = sys.argv[1], sys.argv[2]
results = json.load(open(sarif))["runs"][0]["results"]
def api_names(rule):
    return {r.get("properties", {}).get("customProperties", {}).get("APIName") for r in results if r["ruleId"] == rule} - {None}
names = api_names("RS0016")      # public but not listed
gone = api_names("RS0017")       # listed but no longer public
lines = [l for l in open(api).read().splitlines() if l and l != "#nullable enable"]
merged = sorted((set(lines) - gone) | names)
open(api, "w").write("#nullable enable\n" + "".join(l + "\n" for l in merged))
print(len(names) + len(gone))
PY
)
    echo "pass $pass: $added API lines added or removed"
    [ "$added" = 0 ] && exit 0
done
echo "the analyzer still reports missing API lines after 5 passes" >&2
exit 1
