#!/usr/bin/env bash
# Fuzzes the protocol parsers with AFL++ through SharpFuzz.
#   bash scripts/fuzz.sh [target|all] [seconds]      targets: frame, request, structured-field, http1, digest, dnsbl, http2 (default: all, 60)
# Builds fuzz/RepSec.Fuzz in Release, instruments its copy of RepSec.Protocol.dll and of repsecd's HTTP/1.1 code,
# runs afl-fuzz for the given time per target from the seed corpus in fuzz/corpus/<target>, and prints one line of
# figures per target.
# Exits non-zero if any target saved a crash. Findings stay under $FUZZ_OUT (default: a new /tmp directory).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-all}
seconds=${2:-60}
all_targets=(frame request structured-field http1 digest dnsbl http2)
if [ "$target" = all ]; then
  targets=("${all_targets[@]}")
elif [[ " ${all_targets[*]} " == *" $target "* ]]; then
  targets=("$target")
else
  echo "usage: bash scripts/fuzz.sh [$(IFS='|'; echo "${all_targets[*]}")|all] [seconds]" >&2
  exit 2
fi
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "seconds must be a positive whole number, not '$seconds'" >&2; exit 2; }

if ! command -v afl-fuzz >/dev/null; then
  echo "afl-fuzz is not installed: install the Debian package afl++ (apt-get install afl++)" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=${FUZZ_OUT:-$(mktemp -d /tmp/repsec-fuzz.XXXXXX)}
mkdir -p "$out"

# Runs a step quietly, showing its output only when it fails.
quiet() {
  local log
  if ! log=$("$@" 2>&1); then
    printf '%s\n' "$log" >&2
    echo "failed: $*" >&2
    return 1
  fi
}

# An instrumented copy of the build, apart from bin/ so that the tests never load instrumented code;
# made afresh each time, since instrumenting an assembly twice fails.
rm -rf "$out/bin"
quiet dotnet tool restore
quiet dotnet publish fuzz/RepSec.Fuzz -c Release -o "$out/bin" -nologo
quiet dotnet tool run sharpfuzz "$out/bin/RepSec.Protocol.dll"
# Of repsecd the namespaces the targets exercise: RDAP's HTTP/1.1 head parser (http1), HTTP/2 target guard and its HPACK decoder (http2), Digest credentials parser
# (digest), and the DNSBL's names and answers (dnsbl), with the DNS library that parses its packets.
quiet dotnet tool run sharpfuzz "$out/bin/repsecd.dll" RepSec.Server
quiet dotnet tool run sharpfuzz "$out/bin/ARSoft.Tools.Net.dll"

# A container has no CPU frequency governor or core-dump handler to tune, and no terminal to draw on;
# the runtime is not instrumented itself (only the protocol assembly and repsecd's HTTP/1.1 code are), so AFL's
# binary check is skipped.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_BIN_CHECK=1
dotnet_path=$(command -v dotnet)

stat() { sed -n "s/^$1 *: *//p" "$2"; }
crashed=0
summary=()
for t in "${targets[@]}"; do
  dict=()
  [ -f "fuzz/dictionaries/$t.dict" ] && dict=(-x "fuzz/dictionaries/$t.dict")
  echo "fuzzing $t for $seconds s (findings in $out/$t)"
  afl-fuzz -i "fuzz/corpus/$t" -o "$out/$t" "${dict[@]}" -V "$seconds" -t 5000 -m none \
    -- "$dotnet_path" "$out/bin/RepSec.Fuzz.dll" "$t" >"$out/$t.log" 2>&1 || {
    echo "afl-fuzz failed for $t; the end of its log ($out/$t.log):" >&2
    tail -n 20 "$out/$t.log" >&2
    # In SharpFuzz's persistent mode the target process is the fork server: an input that runs past -t (a hang)
    # or kills the runtime ends the campaign instead of being saved. The input it died on is .cur_input.
    echo "if the fork server died, replay the last input: dotnet run --project fuzz/RepSec.Fuzz -c Release -- $t $out/$t/default/.cur_input" >&2
    exit 1
  }

  stats="$out/$t/default/fuzzer_stats"
  crashes=$(stat saved_crashes "$stats")
  summary+=("$t: $(stat run_time "$stats") s, execs_done=$(stat execs_done "$stats"), corpus=$(stat corpus_count "$stats"), saved_crashes=$crashes, saved_hangs=$(stat saved_hangs "$stats")")
  if [ "${crashes:-0}" -ne 0 ]; then
    crashed=1
    # The instrumented build runs only under afl-fuzz; the plain one replays.
    echo "$t crashed; replay with: dotnet run --project fuzz/RepSec.Fuzz -c Release -- $t $out/$t/default/crashes" >&2
  fi
done

printf '%s\n' "${summary[@]}"
exit $crashed
