#!/usr/bin/env bash
# Builds the emulator's image for real and runs it with podman (no Docker engine, no registry here):
# `IMAGE --version`, health check, a batch through the published loopback port, a restart that finds
# the call again on the volume, then the compose file up and down: the default profile (its default
# admin token, `sandbox-admin`, guards /__admin, and `IMAGE verify --profile full` passes with it) and
# the Redis replicas profile; last, every `docker` block of README.md and docs/ (docker/doc-blocks.sh).
# Idempotent; needs root (apt-get, debootstrap, rootful podman). Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

BASE_IMAGE=localhost/pybase:bookworm
REDIS_IMAGE=localhost/bitel-redis:bookworm
IMAGE=localhost/bitel-mock:ci
WORK=/var/tmp/bitel-mock-ci
PODMAN_COMPOSE_VERSION=1.6.0
TOKEN="Authorization: Bearer ci"
BODY='{"phoneNumbers": ["09121234567", "09351234567"], "voiceId": "08e815cbcd724386805103ac0d45e4c2"}'

say() { printf '\n== %s\n' "$*"; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_http() {  # URL: poll until it answers 200, at most 60 s
    local deadline=$(( $(date +%s) + 60 ))
    until curl -fs -o /dev/null "$1"; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "no answer from $1" >&2; return 1; }
        sleep 0.2
    done
}

wait_healthy() {  # CONTAINER: run the image's HEALTHCHECK until it passes, at most 60 s
    local deadline=$(( $(date +%s) + 60 ))
    until podman healthcheck run "$1" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "$1 never became healthy" >&2; podman logs "$1" >&2; return 1; }
        sleep 0.2
    done
}

place() {  # URL: place the batch, print the first call id
    curl -fsS -X POST "$1/api/v2/voice/batch" -H "$TOKEN" -H 'Content-Type: application/json' -d "$BODY" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["result"][0]["id"])'
}

status_id() {  # URL ID: print the id the status endpoint reports
    curl -fsS "$1/api/v2/voice/status/$2" -H "$TOKEN" | python3 -c 'import json, sys; print(json.load(sys.stdin)["result"]["id"])'
}

say "tools"
missing=()
for tool in podman:podman buildah:buildah debootstrap:debootstrap runc:runc curl:curl; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
mkdir -p "$WORK"
if [ ! -x "$WORK/venv/bin/podman-compose" ]; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install --quiet "podman-compose==$PODMAN_COMPOSE_VERSION"
fi
PODMAN_COMPOSE="$WORK/venv/bin/podman-compose"

# crun fails on this host's hybrid cgroups; the sandbox cannot raise rlimits past the hard ones.
mkdir -p /etc/containers
cat > /etc/containers/containers.conf <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export BUILDAH_FORMAT=docker  # keeps HEALTHCHECK in the image

say "base image $BASE_IMAGE"
if ! podman image exists "$BASE_IMAGE"; then
    rootfs="$WORK/rootfs"
    rm -rf "$rootfs"
    mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
    debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >/dev/null
    cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
    mkdir -p "$rootfs/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
    chroot "$rootfs" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv python3-pip ca-certificates >/dev/null && update-ca-certificates >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/*'
    tar -C "$rootfs" -c . | podman import - "$BASE_IMAGE" >/dev/null
    rm -rf "$rootfs"
fi
if ! podman image exists "$REDIS_IMAGE"; then
    printf 'FROM %s\nRUN apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server >/dev/null && rm -rf /var/lib/apt/lists/*\nUSER redis\nWORKDIR /var/lib/redis\n' "$BASE_IMAGE" \
        | podman build -q -t "$REDIS_IMAGE" -f - . >/dev/null
fi

say "build $IMAGE"
podman build -q --format docker --build-arg BASE="$BASE_IMAGE" \
    --build-arg PIP_CERT=/etc/ssl/certs/ca-certificates.crt -t "$IMAGE" -f docker/Dockerfile . >/dev/null
podman image inspect "$IMAGE" --format '{{.Config.Healthcheck.Test}}' | grep -q __admin/health

say "the image runs any bitel-mock command: $IMAGE --version"
expected="bitel-mock $(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)"
version=$(podman run --rm "$IMAGE" --version)
[ "$version" = "$expected" ] || { echo "IMAGE --version said '$version', expected '$expected'" >&2; exit 1; }
echo "$version"

say "run, place a batch, restart, find the call again on the volume"
name=bitel-mock-ci
podman rm -f "$name" >/dev/null 2>&1 || true
podman volume rm -f bitel-mock-ci-calls >/dev/null 2>&1 || true
port=$(free_port)
podman run -d --name "$name" -p "127.0.0.1:$port:8080" -v bitel-mock-ci-calls:/data \
    -e BITEL_MOCK_ADMIN_TOKEN=ci-admin "$IMAGE" >/dev/null
trap 'podman rm -f "$name" >/dev/null 2>&1 || true' EXIT
wait_healthy "$name"
url="http://127.0.0.1:$port"
[ "$(podman exec "$name" id -u)" != 0 ] || { echo "the container runs as root" >&2; exit 1; }
call_id=$(place "$url")
echo "placed $call_id"
podman restart "$name" >/dev/null
wait_healthy "$name"
[ "$(status_id "$url" "$call_id")" = "$call_id" ] || { echo "call $call_id lost across a restart" >&2; exit 1; }
echo "found $call_id again after the restart"
podman rm -f "$name" >/dev/null
podman volume rm -f bitel-mock-ci-calls >/dev/null

say "compose: the emulator with its volume and its default admin token"
unset BITEL_MOCK_ADMIN_TOKEN  # the compose file's default, sandbox-admin, is what is proven here
export BITEL_MOCK_IMAGE="$IMAGE" BITEL_MOCK_BASE="$BASE_IMAGE" BITEL_MOCK_REDIS_IMAGE="$REDIS_IMAGE"
export BITEL_MOCK_PUBLISHED_PORT=$(free_port) BITEL_MOCK_REPLICA_A_PORT=$(free_port) BITEL_MOCK_REPLICA_B_PORT=$(free_port)
compose=("$PODMAN_COMPOSE" -f docker/compose.yaml -p bitel-mock-ci)
"${compose[@]}" --profile replicas down -v >/dev/null 2>&1 || true
compose_down() {
    [ "$1" = 0 ] || "${compose[@]}" --profile replicas logs >&2 2>&1 || true
    "${compose[@]}" --profile replicas down -v >/dev/null 2>&1 || true
}
trap 'compose_down $?' EXIT
"${compose[@]}" up -d >/dev/null 2>&1
wait_http "http://127.0.0.1:$BITEL_MOCK_PUBLISHED_PORT/__admin/health"
call_id=$(place "http://127.0.0.1:$BITEL_MOCK_PUBLISHED_PORT")
[ "$(status_id "http://127.0.0.1:$BITEL_MOCK_PUBLISHED_PORT" "$call_id")" = "$call_id" ]
echo "compose emulator placed and found $call_id"
sandbox="http://127.0.0.1:$BITEL_MOCK_PUBLISHED_PORT"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$sandbox/__admin/clock")" = 401 ] \
    || { echo "/__admin answered without the admin token" >&2; exit 1; }
curl -fsS -o /dev/null "$sandbox/__admin/clock" -H 'Authorization: Bearer sandbox-admin'
echo "/__admin refuses no token and takes the default one, sandbox-admin"

say "$IMAGE verify --profile full against the compose emulator, with its admin token"
podman run --rm --network host "$IMAGE" verify --base-url "$sandbox" --token t \
    --admin-token sandbox-admin --profile full --max-examples 3 --poll-interval 1 --timeout 120

say "compose --profile replicas: Redis and two replicas sharing it"
"${compose[@]}" --profile replicas up -d >/dev/null 2>&1
a="http://127.0.0.1:$BITEL_MOCK_REPLICA_A_PORT" b="http://127.0.0.1:$BITEL_MOCK_REPLICA_B_PORT"
wait_http "$a/__admin/health"
wait_http "$b/__admin/health"
call_id=$(place "$a")
[ "$(status_id "$b" "$call_id")" = "$call_id" ] || { echo "replica b does not see $call_id" >&2; exit 1; }
echo "placed $call_id through replica a, found it through replica b"
"${compose[@]}" --profile replicas down -v >/dev/null 2>&1
trap - EXIT

say "the docs' docker blocks, run for real (docker/doc-blocks.sh)"
# The blocks run the clone's own bitel-mock: .ci/run's `make test` has made .venv by now.
[ -x .venv/bin/bitel-mock ] || { echo "no .venv/bin/bitel-mock: run 'make setup' first" >&2; exit 1; }
# The blocks name the compose file's defaults (image tag, published port): nothing of the above leaks in.
env -u BITEL_MOCK_IMAGE -u BITEL_MOCK_REDIS_IMAGE -u BITEL_MOCK_PUBLISHED_PORT \
    -u BITEL_MOCK_REPLICA_A_PORT -u BITEL_MOCK_REPLICA_B_PORT \
    BITEL_MOCK_BASE="$BASE_IMAGE" PIP_CERT=/etc/ssl/certs/ca-certificates.crt PODMAN_COMPOSE="$PODMAN_COMPOSE" \
    bash docker/doc-blocks.sh

say "docker/ci.sh passed in $(( $(date +%s) - started )) s"
