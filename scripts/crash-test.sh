#!/usr/bin/env bash
# The crash harness's long form: repsecd under REGISTER/REMOVE/REPORT/WITHDRAW load from eight connections, killed
# with SIGKILL at a random moment of each cycle and restarted, CYCLES times; then every acknowledged write is checked
# and the log audited (tests/RepSec.IntegrationTests/Durability/CrashCycles*.cs). CI runs the same test with 20 cycles.
#
#   bash scripts/crash-test.sh [CYCLES] [sqlite|postgres|all]      (default: 200 sqlite)
#   REPSEC_CRASH_SEED=N bash scripts/crash-test.sh ...              repeats a run's kill moments
#
# The PostgreSQL form needs REPSEC_TEST_POSTGRES (eval "$(bash scripts/test-services.sh start)" sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-200}
store=${2:-sqlite}
case "$store" in
  sqlite) filter=KillTests.Acknowledged_writes_survive_repeated_kill_9_on_sqlite ;;
  postgres) filter=KillTests.Acknowledged_writes_survive_repeated_kill_9_on_postgres ;;
  all) filter=KillTests ;;
  *) echo "usage: $0 [CYCLES] [sqlite|postgres|all]" >&2; exit 2 ;;
esac
if [ "$store" != sqlite ] && [ -z "${REPSEC_TEST_POSTGRES:-}" ]; then
  echo "REPSEC_TEST_POSTGRES is not set: run eval \"\$(bash scripts/test-services.sh start)\" first" >&2; exit 2
fi

export REPSEC_CRASH_CYCLES=$cycles
log=$(mktemp /tmp/repsec-crash.XXXXXX)
start=$(date +%s)
set +e
dotnet test tests/RepSec.IntegrationTests --filter "FullyQualifiedName~$filter" --logger "console;verbosity=detailed" >"$log" 2>&1
status=$?
set -e
# The harness's own lines: the seed, the figures, and any problem it found.
grep -E "crash harness:|kill cycles:|after kill|log audit:|records are stored|reports are stored|the log has|cycle [0-9]+, writer [0-9]+:|Passed |Failed " "$log" | sed 's/^ *//'
echo "took $(( $(date +%s) - start )) s; full output in $log"
exit $status
