#!/usr/bin/env bash
# Redis helpers for the Makefile.
#   redis.sh ensure            install redis-server from the OS packages if it is missing, or say what to install
#   redis.sh local URL DIR     make sure a Redis answers at URL; if none does, start one with its data in DIR,
#                              appendonly yes and appendfsync always (a write is on disk before Redis answers it)
#   redis.sh stop DIR          stop the Redis that `local` started with its data in DIR (nothing else)
#   redis.sh test CMD...       start a throwaway redis-server on a private unix socket, run CMD with
#                              PEERLINE_TEST_REDIS_URL pointing at it, stop it (never touches another Redis);
#                              PEERLINE_TEST_REDIS_ARGS adds redis-server options (make bench-fsync sets the AOF's)
set -euo pipefail

ensure() {
  command -v redis-server >/dev/null 2>&1 && return 0
  echo "redis-server is not installed; installing it from the OS packages..." >&2
  if command -v apt-get >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq redis-server >/dev/null
  elif command -v brew >/dev/null 2>&1; then
    brew install redis
  elif command -v dnf >/dev/null 2>&1; then
    sudo dnf install -y redis
  fi
  command -v redis-server >/dev/null 2>&1 && return 0
  echo "Could not install redis-server. Please install Redis 6.2 or newer (Debian/Ubuntu: 'sudo apt-get install redis-server'," >&2
  echo "macOS: 'brew install redis', Fedora: 'sudo dnf install redis') and run the command again." >&2
  exit 1
}

# ping HOST PORT: true when a Redis answers PONG there (plain bash, no redis-cli needed).
ping() {
  local reply
  { exec 3<>"/dev/tcp/$1/$2"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  IFS= read -r -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [[ "$reply" == "+PONG"* ]]
}

local_redis() {
  local url=$1 dir=$2 hostport host port
  hostport=${url#redis://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
  host=${hostport%%:*}; port=${hostport##*:}
  [ "$port" = "$hostport" ] && port=6379
  if ping "$host" "$port"; then
    echo "Redis answers at $host:$port." >&2
    return 0
  fi
  case "$host" in
    localhost|127.0.0.1) ;;
    *) echo "No Redis answers at $host:$port (REDIS_URL). Start it, or unset REDIS_URL to use a local one." >&2; exit 1 ;;
  esac
  ensure
  mkdir -p "$dir"
  echo "No Redis at $host:$port: starting redis-server with its data in $dir (appendonly, appendfsync always)." >&2
  # appendfsync always: Redis answers a write only once it is fsynced, so a crash or power cut of this host
  # never loses a text the line has answered (RELIABILITY.md; BENCHMARKS.md measures the cost).
  redis-server --bind 127.0.0.1 --port "$port" --dir "$(cd "$dir" && pwd)" --appendonly yes --appendfsync always \
    --daemonize yes --pidfile "$(cd "$dir" && pwd)/redis.pid" --logfile "$(cd "$dir" && pwd)/redis.log"
  for _ in $(seq 50); do ping "$host" "$port" && return 0; sleep 0.1; done
  echo "redis-server did not answer; see $dir/redis.log" >&2
  exit 1
}

test_redis() {
  ensure
  local status
  dir=$(mktemp -d "${TMPDIR:-/tmp}/peerline-test-redis.XXXXXX")
  redis-server --port 0 --unixsocket "$dir/redis.sock" --unixsocketperm 700 --dir "$dir" \
    --save "" --appendonly no --logfile "$dir/redis.log" ${PEERLINE_TEST_REDIS_ARGS:-} </dev/null >/dev/null 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
  for _ in $(seq 50); do [ -S "$dir/redis.sock" ] && break; sleep 0.1; done
  [ -S "$dir/redis.sock" ] || { echo "test redis-server did not start:" >&2; cat "$dir/redis.log" >&2; exit 1; }
  status=0
  PEERLINE_TEST_REDIS_URL="unix://$dir/redis.sock" "$@" || status=$?
  return $status
}

stop_local() {
  local pidfile="$1/redis.pid"
  if [ ! -f "$pidfile" ]; then
    echo "No Redis started by 'make run' is running (no $pidfile)." >&2
    return 0
  fi
  kill "$(cat "$pidfile")" 2>/dev/null && echo "Stopped the Redis started by 'make run' (data kept in $1)." >&2
  for _ in $(seq 50); do [ -f "$pidfile" ] || return 0; sleep 0.1; done
}

case "${1:-}" in
  ensure) ensure ;;
  stop) stop_local "$2" ;;
  local) local_redis "$2" "$3" ;;
  test) shift; test_redis "$@" ;;
  *) echo "usage: $0 ensure | local URL DIR | stop DIR | test CMD..." >&2; exit 2 ;;
esac
