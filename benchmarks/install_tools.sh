#!/bin/sh
# What `make bench` needs besides the project, installed when missing:
# wrk (required); granian into the venv, pinned by constraints.txt; a headless JRE and the
# WireMock standalone jar (npm package wiremock@VERSION, cached in benchmarks/.cache/);
# redis-server. A contender whose tool cannot be installed is skipped by benchmarks/run.py,
# which says so.
# Usage: sh benchmarks/install_tools.sh VENV_BIN
set -u
BIN=${1:?usage: install_tools.sh VENV_BIN}
WIREMOCK_VERSION=3.13.2
CACHE=benchmarks/.cache
JAR=$CACHE/node_modules/wiremock/build/wiremock-standalone-$WIREMOCK_VERSION.jar
UPDATED=no

apt_install() {
    if [ "$UPDATED" = no ]; then
        apt-get update -qq && UPDATED=yes
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

command -v wrk >/dev/null || apt_install wrk || { echo "bench: cannot install wrk" >&2; exit 1; }
"$BIN/python" -c 'import granian' 2>/dev/null \
    || "$BIN/python" -m pip install --quiet --disable-pip-version-check -c constraints.txt granian \
    || echo "bench: cannot install granian; echo-granian will be skipped" >&2
command -v java >/dev/null || apt_install default-jre-headless \
    || echo "bench: cannot install a JRE; wiremock will be skipped" >&2
if [ ! -f "$JAR" ]; then
    { command -v npm >/dev/null || apt_install npm; } \
        && npm install --silent --no-audit --no-fund --no-save --prefix "$CACHE" \
            "wiremock@$WIREMOCK_VERSION" \
        || echo "bench: cannot install wiremock@$WIREMOCK_VERSION; wiremock will be skipped" >&2
fi
command -v redis-server >/dev/null || apt_install redis-server \
    || echo "bench: cannot install redis-server; emulator-redis will be skipped" >&2
exit 0
