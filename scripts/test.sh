#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh machine with only Python 3.11, then runs it:
# a virtual environment in .venv, the package with its test extra (which pulls the notebook, dask and
# server extras too: the tests drive the notebook, a Dask cluster and a real Oxigraph server), and, as
# root on Debian, Chromium for the browser tests of the HTML view and a Java runtime for the HermiT
# reasoner test. Extra arguments go to pytest (run in two worker processes). The suite includes `scripts/readme_tour.py --check`.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests..." >&2
  (apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }) \
    || echo "Could not install Chromium: the browser tests will be skipped." >&2
fi
if ! command -v java >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing a Java runtime for the OWL reasoner test..." >&2
  (apt-get install -y -q default-jre-headless >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q default-jre-headless >/dev/null; }) \
    || echo "Could not install Java: the HermiT test will be skipped." >&2
fi
# two workers (pytest-xdist): the suite is CPU-bound and the machines have 2 cores
exec .venv/bin/python -m pytest -n 2 "$@"
