#!/usr/bin/env bash
# Fuzzes a running PDOP server's API from its own spec (/api/openapi.yaml).
# Usage: scripts/schemathesis.sh BASE_URL TOKEN     e.g. http://127.0.0.1:8089 "$(pdop token create ...)"
# Fails on any 5xx and on any response that breaks the spec (body schema, status, content type).
# Env: PDOP_FUZZ_TIMEOUT (s, default 1200), PDOP_FUZZ_EXAMPLES (default 50),
#      PDOP_FUZZ_SEED (default fixed, so a CI failure can be replayed), PDOP_FUZZ_REPORT_DIR.
set -euo pipefail
BASE_URL=${1:?usage: $0 BASE_URL TOKEN}
TOKEN=${2:?usage: $0 BASE_URL TOKEN}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ST=$ROOT/.venv/bin/schemathesis
[[ -x $ST ]] || { echo "schemathesis missing: run scripts/install-deps.sh" >&2; exit 2; }

args=(
  run "$BASE_URL/api/openapi.yaml"
  --origin "$BASE_URL"            # keep the spec's base path, but hit this server
  -H "Authorization: Bearer $TOKEN"
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance
  --max-examples "${PDOP_FUZZ_EXAMPLES:-50}"
  --seed "${PDOP_FUZZ_SEED:-20260101}"
  --request-timeout 30
  --generation-database none      # so the fixed seed replays the same inputs
  --no-color
  # These two would lock the CI token out for the rest of the run.
  --exclude-name-regex '^(POST \S*/me/password|DELETE \S*/me/tokens/\{tokenId\})$'
)
if [[ -n ${PDOP_FUZZ_REPORT_DIR:-} ]]; then
  args+=(--report junit,ndjson --report-dir "$PDOP_FUZZ_REPORT_DIR")
fi
# Run from an ignored folder: schemathesis keeps a crash cache (replayed first next time) in ./.schemathesis.
mkdir -p "$ROOT/.build-schemathesis" && cd "$ROOT/.build-schemathesis"
exec timeout --kill-after=30 "${PDOP_FUZZ_TIMEOUT:-1200}" "$ST" "${args[@]}"
