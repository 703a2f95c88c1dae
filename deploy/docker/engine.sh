#!/usr/bin/env bash
# Starts, stops and provisions the Docker engine snapbus's images, compose stack and container tests use, on a
# machine without systemd and without an image registry (a CI runner, a developer's VM). Runs as root.
#
#   deploy/docker/engine.sh install      docker.io + debootstrap with apt when missing, and a compose v2 plugin
#   deploy/docker/engine.sh start        install, then dockerd in the background (no bridge: host networking only)
#   deploy/docker/engine.sh base-image   snapbus/base:bookworm (debootstrap) and snapbus/jre:17 (its JRE), once
#   deploy/docker/engine.sh images       mvn package of the jars, then docker compose build on snapbus/jre:17
#   deploy/docker/engine.sh clean        remove every container snapbus's compose stack or tests started
#   deploy/docker/engine.sh stop         clean, then stop the dockerd that `start` started (by its pid)
#   deploy/docker/engine.sh env          the environment Testcontainers needs here, as `export` lines
#
# An engine that already answers `docker info` is used as it is, and `stop` leaves it running.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STATE="${SNAPBUS_DOCKER_STATE:-/var/lib/snapbus-docker}"
PID_FILE="$STATE/dockerd.pid"
LOG_FILE="$STATE/dockerd.log"
BASE_IMAGE="${SNAPBUS_BASE_IMAGE:-snapbus/base:bookworm}"
JRE_IMAGE="${SNAPBUS_JRE_IMAGE:-snapbus/jre:17}"
# Compose v2 is the `docker-compose` package of Debian trixie: one static Go binary that runs on bookworm.
COMPOSE_SUITE="${SNAPBUS_COMPOSE_SUITE:-trixie}"
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins

log() { echo "engine: $*" >&2; }

# The Debian mirror apt already uses, so debootstrap and the compose download go where apt goes.
debian_mirror() {
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | grep -v security | head -1 | awk '{print ($1=="deb") ? $2 : $2}')
  echo "${uri:-http://deb.debian.org/debian}"
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if ((${#missing[@]})); then
    # /usr/sbin/policy-rc.d (exit 101) stays: the package's postinst must not start a default daemon with a bridge.
    log "installing ${missing[*]} with apt"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  install_compose
}

# Fetches the compose plugin with a private apt state, so the machine's own sources and lists stay untouched.
install_compose() {
  if docker compose version >/dev/null 2>&1; then return; fi
  rm -f "$PLUGIN_DIR/docker-compose"
  local work="$STATE/compose-apt"
  log "installing the compose v2 plugin from Debian $COMPOSE_SUITE"
  rm -rf "$work" && mkdir -p "$work"/{lists/partial,archives/partial,etc/preferences.d,etc/apt.conf.d,extract}
  echo "deb $(debian_mirror) $COMPOSE_SUITE main" >"$work/etc/sources.list"
  local opts=(-o "Dir::State::Lists=$work/lists" -o "Dir::State::status=/dev/null" -o "Dir::Cache=$work"
              -o "Dir::Cache::archives=$work/archives" -o "Dir::Etc::SourceList=$work/etc/sources.list"
              -o "Dir::Etc::SourceParts=$work/etc/none" -o "Dir::Etc::Preferences=$work/etc/none"
              -o "Dir::Etc::PreferencesParts=$work/etc/preferences.d" -o "APT::Get::List-Cleanup=false"
              -o "Acquire::Languages=none")
  apt-get "${opts[@]}" update -qq
  chown -R _apt "$work" 2>/dev/null || true
  (cd "$work/archives" && apt-get "${opts[@]}" download docker-compose >/dev/null)
  dpkg-deb -x "$work"/archives/docker-compose_*.deb "$work/extract"
  mkdir -p "$PLUGIN_DIR"
  # The package's /usr/bin/docker-compose is a wrapper script; the plugin is the binary under cli-plugins/.
  install -m 0755 "$(find "$work/extract" -path '*cli-plugins/docker-compose' -type f | head -1)" \
    "$PLUGIN_DIR/docker-compose"
  rm -rf "$work"
  docker compose version >&2
}

engine_up() { docker info >/dev/null 2>&1; }

start_engine() {
  install_packages
  mkdir -p "$STATE"
  if engine_up; then log "an engine already answers; using it"; return; fi
  log "starting dockerd (log: $LOG_FILE)"
  # No bridge, no iptables: this machine cannot create one, so every container runs with the host's network.
  nohup dockerd --iptables=false --ip-forward=false --ip-masq=false --bridge=none --storage-driver=overlay2 \
        --pidfile "$STATE/dockerd.own.pid" >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 60); do
    if engine_up; then log "dockerd $(cat "$PID_FILE") is up"; return; fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then tail -20 "$LOG_FILE" >&2; log "dockerd exited"; exit 1; fi
    sleep 1
  done
  tail -20 "$LOG_FILE" >&2; log "dockerd did not answer in 60 s"; exit 1
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

build_base_images() {
  engine_up || { log "no Docker engine answers; run: $0 start"; exit 1; }
  if ! image_exists "$BASE_IMAGE"; then
    local root="$STATE/rootfs"
    log "building $BASE_IMAGE with debootstrap from $(debian_mirror)"
    rm -rf "$root"
    debootstrap --variant=minbase bookworm "$root" "$(debian_mirror)" >"$STATE/debootstrap.log" 2>&1 \
      || { tail -20 "$STATE/debootstrap.log" >&2; exit 1; }
    # apt inside the image goes where the host's apt goes (same sources, same settings).
    cp -a /etc/apt/sources.list.d/. "$root/etc/apt/sources.list.d/"
    [ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/etc/apt/sources.list"
    cp -a /etc/apt/apt.conf.d/. "$root/etc/apt/apt.conf.d/"
    rm -f "$root"/etc/apt/sources.list.d/*.disabled-by-farm
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -c . | docker import - "$BASE_IMAGE" >/dev/null
    rm -rf "$root"
  fi
  if ! image_exists "$JRE_IMAGE"; then
    log "building $JRE_IMAGE from $BASE_IMAGE"
    docker build --network host -q --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$JRE_IMAGE" \
      -f "$ROOT/deploy/docker/jre.Dockerfile" "$ROOT/deploy/docker" >/dev/null
  fi
  log "base images: $BASE_IMAGE, $JRE_IMAGE"
}

# The runnable jars and the build context (mvn package of this module and what it needs), then every image of the
# compose file on the local JRE image.
build_service_images() {
  build_base_images
  (cd "$ROOT" && mvn -B -q -DskipTests package -pl deploy/docker -am)
  (cd "$ROOT" && SNAPBUS_BASE_IMAGE="$JRE_IMAGE" docker compose build)
}

# Every container of snapbus's compose project and of the container tests (Testcontainers labels them).
clean_containers() {
  engine_up || return 0
  local ids
  ids=$(docker ps -aq --filter label=org.testcontainers=true; docker ps -aq --filter label=io.snapbus.stack=true)
  ids=$(echo "$ids" | sort -u | grep . || true)
  if [ -n "$ids" ]; then
    log "removing containers: $(echo $ids)"
    docker rm -f $ids >/dev/null
  fi
}

stop_engine() {
  clean_containers
  if [ ! -f "$PID_FILE" ]; then log "no dockerd started by this script"; return; fi
  local pid; pid=$(cat "$PID_FILE")
  # Only the dockerd this script started: a stale pid file must not stop whatever reuses the number.
  if kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
    log "stopping dockerd $pid"
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && { log "dockerd $pid did not stop in 30 s; SIGKILL"; kill -9 "$pid"; }
  fi
  rm -f "$PID_FILE"
}

print_env() {
  # Ryuk cannot be pulled and needs a published port; the root's /.dockerenv makes Testcontainers think it runs
  # inside a container (and look for a bridge) unless the host is given.
  echo "export TESTCONTAINERS_RYUK_DISABLED=true"
  echo "export TESTCONTAINERS_HOST_OVERRIDE=localhost"
  echo "export SNAPBUS_BASE_IMAGE=$JRE_IMAGE"
}

case "${1:-}" in
  install) install_packages ;;
  start) start_engine ;;
  base-image) build_base_images ;;
  images) build_service_images ;;
  clean) clean_containers ;;
  stop) stop_engine ;;
  env) print_env ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
