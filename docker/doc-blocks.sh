#!/usr/bin/env bash
# Runs every `docker` block of README.md and docs/*.md for real, page by page, in order, with
# podman playing docker: `docker compose ...` is podman-compose, any other `docker ...` is podman
# (a `docker` on PATH that says so). tests/docs/blocks.py finds the blocks; a `server=PORT`
# block is started in the background and waited for until /__admin/health answers on PORT.
# After each page, every container, volume and network it made is removed.
#
# What differs from the page's text, as in tests/docs/runner.py:
# - 127.0.0.1:8080 and localhost:8080 become a free port, which is also the compose file's
#   BITEL_MOCK_PUBLISHED_PORT;
# - builds (`docker build`, `docker compose ... --build`) get the local base image and the CA
#   bundle this machine needs (BITEL_MOCK_BASE, PIP_CERT): there is no registry here;
# - `bitel-mock` is the clone's .venv/bin/bitel-mock.
#
# Needs what docker/ci.sh sets up first: podman, podman-compose and the base image.
# DOC_BLOCKS_DRY_RUN=1 prints the blocks as they would run, and runs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

export BITEL_MOCK_BASE=${BITEL_MOCK_BASE:-localhost/pybase:bookworm}
export PIP_CERT=${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}
export BUILDAH_FORMAT=docker  # keeps HEALTHCHECK in the image
export PODMAN_COMPOSE=${PODMAN_COMPOSE:-$(command -v podman-compose || echo /var/tmp/bitel-mock-ci/venv/bin/podman-compose)}
READY_SECONDS=${DOC_BLOCKS_READY_SECONDS:-600}  # a server block may build the image first
DOCUMENTED_PORT=8080

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

port=$(free_port)
export BITEL_MOCK_PUBLISHED_PORT=$port

work=$(mktemp -d)
mkdir -p "$work/bin"
cat > "$work/bin/docker" <<'DOCKER'
#!/usr/bin/env bash
# docker, played by podman: compose by podman-compose; builds from the local base image.
set -euo pipefail
build_args=(--build-arg "BASE=$BITEL_MOCK_BASE" --build-arg "PIP_CERT=$PIP_CERT")
case "${1:-}" in
    compose) shift; exec "$PODMAN_COMPOSE" --podman-build-args "${build_args[*]}" "$@" ;;
    build) shift; exec podman build --format docker "${build_args[@]}" "$@" ;;
    *) exec podman "$@" ;;
esac
DOCKER
chmod +x "$work/bin/docker"
export PATH="$work/bin:$repo/.venv/bin:$PATH"

substitute() {  # TEXT: the block as it runs here
    local text=$1
    text=${text//127.0.0.1:$DOCUMENTED_PORT/127.0.0.1:$port}
    text=${text//localhost:$DOCUMENTED_PORT/localhost:$port}
    printf '%s' "$text"
}

listing() {  # KIND: the ids of every container, volume or network there is now
    case "$1" in
        container) podman ps -aq ;;
        volume) podman volume ls -q ;;
        network) podman network ls -q ;;
    esac | sort
}

declare -A before=()
servers=()

page_start() {
    servers=()
    [ -n "${DOC_BLOCKS_DRY_RUN:-}" ] && return
    for kind in container volume network; do before[$kind]=$(listing "$kind"); done
}

page_end() {  # remove what the page made, newest kind of thing first
    [ -n "${DOC_BLOCKS_DRY_RUN:-}" ] && return
    local kind id
    for kind in container volume network; do
        for id in $(comm -13 <(printf '%s\n' "${before[$kind]}") <(listing "$kind")); do
            case "$kind" in
                container) podman rm -f "$id" >/dev/null 2>&1 || true ;;
                volume) podman volume rm -f "$id" >/dev/null 2>&1 || true ;;
                network) podman network rm -f "$id" >/dev/null 2>&1 || true ;;
            esac
        done
    done
    local pid
    for pid in "${servers[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    servers=()
}

wait_ready() {  # PID WHERE: until 127.0.0.1:$port answers HTTP, or the server fails
    local deadline=$(( $(date +%s) + READY_SECONDS )) code exited=""
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/__admin/health" || true)
        [ "$code" != 000 ] && return 0
        if [ -z "$exited" ] && ! kill -0 "$1" 2>/dev/null; then
            # a command that starts something and returns (`run -d`, `up -d`) must succeed
            wait "$1" || { echo "$2: the server block failed" >&2; return 1; }
            exited=yes
        fi
        [ "$(date +%s)" -lt "$deadline" ] || { echo "$2: nothing answered on port $port within $READY_SECONDS s" >&2; return 1; }
        sleep 0.5
    done
}

trap 'page_end; rm -rf "$work"' EXIT

page=""
count=0
while IFS= read -r -d '' record; do
    header=${record%%$'\n'*}
    text=$(substitute "${record#*$'\n'}")
    where=${header#\# }
    where=${where%% *}
    if [ "${where%%:*}" != "$page" ]; then
        [ -z "$page" ] || page_end
        page=${where%%:*}
        page_start
    fi
    count=$(( count + 1 ))
    printf '\n== %s\n%s\n' "$header" "$text"
    [ -n "${DOC_BLOCKS_DRY_RUN:-}" ] && continue
    if [[ " $header " == *" server=$DOCUMENTED_PORT "* ]]; then
        setsid bash -c "$text" </dev/null &
        servers+=($!)
        wait_ready "$!" "$where"
    else
        bash -e -o pipefail -c "$text" </dev/null || { echo "$where: the block failed" >&2; exit 1; }
    fi
done < <(python3 -m tests.docs.blocks --tag docker)

[ "$count" -gt 0 ] || { echo "no docker blocks found" >&2; exit 1; }
if [ -n "${DOC_BLOCKS_DRY_RUN:-}" ]; then done_what=listed; else done_what=ran; fi
printf '\n== %s docker blocks %s\n' "$count" "$done_what"
