#!/usr/bin/env bash
# Installs the non-Swift tools CI and developers need; only what is missing.
# Debian: PostgreSQL 15 (PDOP_TEST_POSTGRES_URL tests), headless Chromium + driver
# (Tests/Browser) with a small CJK font so screenshots of the zh-CN console are legible,
# sqlite3 (inspecting data dirs), curl (readiness probe).
# PyPI, into .venv/: selenium, schemathesis.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
cd "$(dirname "$0")/.."

APT_PKGS=(postgresql chromium chromium-driver sqlite3 curl fonts-wqy-microhei)
# selenium 4.52.0 needs certifi>=2026.10.23, which the PyPI reachable here lacks;
# 4.51.0 has the same API and dependencies otherwise.
PY_PKGS=(selenium==4.51.0 schemathesis==4.32.5)
VENV=.venv

missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: apt installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: Debian packages present"
fi

# The venv is reused; pip only fetches when a pinned version is absent.
[[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" - "${PY_PKGS[@]}" <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
try:
    ok = all(version(n) == v for n, v in (s.split("==") for s in sys.argv[1:]))
except PackageNotFoundError:
    ok = False
sys.exit(0 if ok else 1)
PY
then
  echo "install-deps: pip installing ${PY_PKGS[*]}"
  "$VENV/bin/pip" install -q --disable-pip-version-check "${PY_PKGS[@]}"
else
  echo "install-deps: Python packages present"
fi
