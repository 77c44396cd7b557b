#!/usr/bin/env bash
# Runs README.md's walkthrough as a newcomer pastes it, in this checkout, against a fresh server:
# every ```sh block in order (except those right after a "<!-- not run: reason -->" line), in one shell.
# Each command must exit 0, or the code its comment names ("... exit 10"). Prints each failure and ends
# non-zero if there was one. Needs ports 4655 and 8443 free and no ./data here (the walkthrough makes its own).
set -uo pipefail
cd "$(dirname "$0")/.."

for made in data cluster-data ops-data bl-data; do
  [ -e "$made" ] && { echo "readme-check: ./$made exists; it would be the walkthrough's (move it away first)"; exit 2; }
done
work=$(mktemp -d /tmp/repsec-readme.XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -- "-$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf data cluster-data ops-data bl-data bl.log bl.etag rows.csv rows.csv.refused rows.csv.state reputons.csv repsecd.log artifacts feed.cursor client.pem client.key "$work"
}
trap cleanup EXIT

# The README's first command, in the first terminal (a process group of its own, so that stopping it stops repsecd too).
setsid dotnet run --project src/RepSec.Server > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 180); do
  grep -q "Ready" "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "readme-check: the server did not start"; exit 1; }
  sleep 1
done
grep -q "Ready" "$work/server.log" || { cat "$work/server.log"; echo "readme-check: the server is not ready after 180 s"; exit 1; }

# The blocks, as one script: each command followed by the check of its exit code.
awk -v q="'" '
  function flush() {
    if (command == "") return
    expected = 0
    if (match(command, /# .*exit [0-9]+/)) { s = substr(command, RSTART, RLENGTH); sub(/.*exit /, "", s); expected = s + 0 }
    shown = command; gsub(q, q "\\" q q, shown)
    print command
    printf "__rc=$?; if [ $__rc -ne %d ]; then echo \"README.md:%d: exit $__rc, expected %d: \"%s%s%s >&2; __failed=$((__failed + 1)); fi\n", expected, line, expected, q, shown, q
    command = ""; depth = 0
  }
  /^<!-- not run/ { skip = 1; next }
  /^```sh$/ { if (!skip) inblock = 1; skip = 0; next }
  /^```/ { if (inblock) flush(); inblock = 0; next }
  NF > 0 { skip = 0 }
  !inblock { next }
  {
    if (command == "") { if ($0 ~ /^[[:space:]]*(#|$)/) next; line = NR }
    command = command (command == "" ? "" : "\n") $0
    if ($0 ~ /(^|[;[:space:]])(do|then)([[:space:]]|$)/) depth++
    if ($0 ~ /(^|[;[:space:]])(done|fi)([;[:space:]]|$)/) depth--
    if ($0 ~ /(\\|[|]|&&)[[:space:]]*$/ || depth > 0) next
    flush()
  }
' README.md > "$work/walkthrough.sh"
echo "readme-check: $(grep -c '^__rc=' "$work/walkthrough.sh") commands from README.md"

# A newcomer's shell: no test settings, their own client state.
env -i HOME="$HOME" PATH="$PATH" TERM=dumb LANG=C.UTF-8 XDG_STATE_HOME="$work/state" \
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
  bash --noprofile --norc -c "shopt -s expand_aliases; __failed=0; source '$work/walkthrough.sh'; exit \$__failed" 2>&1
failed=$?
if [ "$failed" -ne 0 ]; then
  echo "readme-check: $failed README command(s) did not do what the README says"; echo "--- server log"; tail -n 30 "$work/server.log"
  exit 1
fi
echo "readme-check: every README command ran as pasted"
