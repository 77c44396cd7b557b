#!/usr/bin/env bash
# Checks what users install (docs/install.md): packs RepSec.Protocol, RepSec.Client and the repsec tool into a local
# feed, installs the tool from it, publishes repsecd as one self-contained file and repsec with Native AOT, starts that
# repsecd on free ports, and pings it with the installed tool, the AOT binary, and a new console project that takes
# RepSec.Client from the feed and runs the example of src/RepSec.Client/README.md. Exits non-zero on any failure.
#
#   bash scripts/package-check.sh                      (75 s on 2 cores, 2.5 minutes beside another build)
#   REPSEC_PACKAGE_CHECK_AOT=0 bash scripts/...        without the Native AOT publish (it needs clang and zlib1g-dev)
#
# Everything goes to a temporary directory, removed afterwards (kept when a step fails). The packages restored from
# the feed go to a NuGet cache of its own there, so a package just packed is never shadowed by an older one of the
# same version in ~/.nuget/packages.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

aot=${REPSEC_PACKAGE_CHECK_AOT:-1}
if [ "$aot" != 0 ] && ! command -v clang >/dev/null; then
  echo "Native AOT needs clang and zlib1g-dev (apt-get install clang zlib1g-dev), or run with REPSEC_PACKAGE_CHECK_AOT=0" >&2
  exit 2
fi

work=$(mktemp -d /tmp/repsec-package-check.XXXXXX)
feed=$work/feed tools=$work/tools data=$work/data app=$work/app
server_pid=
started=$(date +%s)

finish() {
  local status=$?
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$status" -eq 0 ]; then
    rm -rf "$work"
    echo "package check passed in $(( $(date +%s) - started )) s"
  else
    echo "package check FAILED (exit $status) after $(( $(date +%s) - started )) s; files kept in $work" >&2
  fi
}
trap finish EXIT

step() { echo; echo "== $* ($(( $(date +%s) - started )) s)"; }
run() { echo "+ $*" >&2; "$@"; }
# Fails unless the output of the command before it (in $out) matches an extended regular expression.
expect() {
  if ! grep -Eq "$1" <<<"$out"; then
    echo "expected output matching /$1/, got:" >&2; echo "$out" >&2; exit 1
  fi
}

version=$(dotnet msbuild src/RepSec.Client -getProperty:Version)
echo "version $version; working in $work"

step "pack RepSec.Protocol, RepSec.Client and the repsec tool into $feed"
for project in src/RepSec.Protocol src/RepSec.Client src/RepSec.Cli; do
  run dotnet pack "$project" -c Release -o "$feed" --nologo -v quiet
done
ls -l "$feed"

step "install the tool from the feed"
NUGET_PACKAGES=$work/nuget run dotnet tool install --tool-path "$tools" --add-source "$feed" repsec --version "$version"
out=$("$tools/repsec" --version)
echo "$out"; expect "^$version"

step "publish repsecd as one self-contained file"
run dotnet publish src/RepSec.Server -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true -o "$work/repsecd" --nologo -v quiet
ls -l "$work/repsecd"
[ "$(ls "$work/repsecd")" = repsecd ] || { echo "the publish folder holds more than repsecd" >&2; exit 1; }

if [ "$aot" != 0 ]; then
  step "publish repsec with Native AOT"
  run dotnet publish src/RepSec.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" --nologo -v quiet
  ls -l "$work/aot/repsec"
fi

step "start the published repsecd on free ports, data in $data"
echo "+ $work/repsecd/repsecd --data $data --repsec-port 0 --rdap-port 0 > $work/repsecd.log" >&2
"$work/repsecd/repsecd" --data "$data" --repsec-port 0 --rdap-port 0 >"$work/repsecd.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q "Ready;" "$work/repsecd.log" && break
  kill -0 "$server_pid" 2>/dev/null || { echo "repsecd exited:" >&2; cat "$work/repsecd.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "Ready;" "$work/repsecd.log" || { echo "repsecd not ready after 60 s:" >&2; cat "$work/repsecd.log" >&2; exit 1; }
# "RepSec listening on 127.0.0.1:PORT (TLS); data in ..." (port 0 binds IPv4 loopback only)
server=$(sed -n 's/.*RepSec listening on \([^ ,]*\).*/\1/p' "$work/repsecd.log" | head -n 1)
ca=$data/tls/dev-ca.crt
[ -n "$server" ] && [ -f "$ca" ] || { echo "no RepSec endpoint or development CA in the log:" >&2; cat "$work/repsecd.log" >&2; exit 1; }
echo "repsecd (pid $server_pid) listens on $server; its CA is $ca"

step "ping it with the installed tool"
out=$(run "$tools/repsec" --server "$server" --ca "$ca" ping)
echo "$out"; expect "^PONG \(server time "

if [ "$aot" != 0 ]; then
  step "ping it with the Native AOT repsec"
  out=$(run "$work/aot/repsec" --server "$server" --ca "$ca" ping)
  echo "$out"; expect "^PONG \(server time "
fi

step "a new console project with RepSec.Client from the feed, running the README's example"
mkdir -p "$app"
cd "$app"
# The sources this machine restores from (as dotnet nuget list source shows them), plus the feed; RepSec.* comes from
# the feed only, everything else (BouncyCastle.Cryptography, which RepSec.Protocol needs) from those sources.
mapfile -t sources < <(dotnet nuget list source --format detailed | sed -n 's/^ *[0-9]*\. *\(.*\) \[Enabled\]$/\1/p')
[ ${#sources[@]} -gt 0 ] || { echo "no enabled NuGet source to restore RepSec.Client's dependencies from" >&2; exit 1; }
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration>'
  echo "  <packageSources><add key=\"repsec-local\" value=\"$feed\" /></packageSources>"
  echo '  <packageSourceMapping>'
  echo '    <packageSource key="repsec-local"><package pattern="RepSec.*" /></packageSource>'
  for source in "${sources[@]}"; do
    echo "    <packageSource key=\"$source\"><package pattern=\"*\" /></packageSource>"
  done
  echo '  </packageSourceMapping>'
  echo '</configuration>'
} >nuget.config
cat nuget.config
export NUGET_PACKAGES=$work/nuget
run dotnet new console --name PackageCheck --output . --no-restore
run dotnet add package RepSec.Client --version "$version"
awk '/^```csharp$/ { inside = 1; next } /^```$/ { if (inside) exit } inside' "$repo/src/RepSec.Client/README.md" >Program.cs
echo "Program.cs, from src/RepSec.Client/README.md:"; cat Program.cs
grep -q "$feed" "$NUGET_PACKAGES/repsec.client/$version/.nupkg.metadata" || { echo "RepSec.Client did not come from the feed" >&2; exit 1; }
out=$(REPSEC_SERVER=$server REPSEC_CA=$ca run dotnet run)
echo "$out"
expect "^server time "
expect "^repsec/1: PING HELLO REGISTER VERIFY REMOVE AUDIT$"
expect "^example.com is not registered$"
