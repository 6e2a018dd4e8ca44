#!/usr/bin/env bash
# bench/sandbox: PDOP's sandbox engine against raw SQLite and smartnoise-sql on the demo county's
# hospital visits (see README.md). Last line: ratio=<PDOP DP median s / raw SQLite median s>.
#
# Usage: bash bench/sandbox/run.sh [--scale S] [--runs N] [--epsilon E] [--dir DIR] [--pdop PATH]
#   --scale 1 (default) is a million visits; --scale 0.1 a quick look. --dir keeps (and reuses)
#   the generated domain store; without it a temporary one is removed at the end.
#   The pdop binary defaults to a release build in .build-release, built here if missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/sandbox
SCALE=1 RUNS=5 EPSILON=1 DIR="" PDOP=$ROOT/.build-release/release/pdop
SNSQL=smartnoise-sql==1.0.10
while (($#)); do
  case $1 in
    --scale) SCALE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --epsilon) EPSILON=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --pdop) PDOP=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if [[ ! -x $PDOP ]]; then
  echo "building pdop (release) into .build-release …" >&2
  (cd "$ROOT" && swift build -c release --product pdop --scratch-path .build-release >&2)
fi

# smartnoise-sql, pinned, in the repo's venv (as scripts/install-deps.sh keeps its tools).
VENV=$ROOT/.venv
[[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c "from importlib.metadata import version; import sys; sys.exit(version('smartnoise-sql') != '${SNSQL#*==}')" 2>/dev/null; then
  echo "installing $SNSQL into .venv …" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check "$SNSQL" >&2
fi

if [[ -z $DIR ]]; then
  DIR=$(mktemp -d /tmp/pdop-bench-sandbox-XXXXXX)
  trap 'rm -rf "$DIR"' EXIT
fi
mkdir -p "$DIR"

echo "generating and loading the demo datasets at scale $SCALE into $DIR …" >&2
"$PDOP" sandbox-bench --dir "$DIR" --scale "$SCALE" --load-only >"$DIR/load.jsonl"
table() { "$VENV/bin/python" -c "import json,sys; print(next(e['table'] for e in map(json.loads, open(sys.argv[1])) if e['dataset'] == sys.argv[2]))" "$DIR/load.jsonl" "$1"; }
VISITS=$(table hospital_visits)
PENSION=$(table social_insurance)

echo "timing PDOP ($RUNS runs per engine) …" >&2
"$PDOP" sandbox-bench --dir "$DIR" --scale "$SCALE" --runs "$RUNS" --epsilon "$EPSILON" | grep -v '"event":"loaded"' >"$DIR/pdop.jsonl"
echo "timing smartnoise-sql ($RUNS runs) …" >&2
"$VENV/bin/python" "$HERE/snsql_bench.py" --db "$DIR/domain.sqlite" --visits-table "$VISITS" --pension-table "$PENSION" \
  --runs "$RUNS" --epsilon "$EPSILON" >"$DIR/snsql.jsonl"

"$VENV/bin/python" "$HERE/summarize.py" "$DIR/load.jsonl" "$DIR/pdop.jsonl" "$DIR/snsql.jsonl"
