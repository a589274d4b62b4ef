#!/usr/bin/env bash
# Sourced by scripts/test (and by anyone running several API nodes here): Redis on loopback for SignalR's backplane,
# installed from Debian when missing, in memory only. Exports CLINIC_REDIS (host:port).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CLINIC_DATA_DIR="${CLINIC_DATA_DIR:-$repo_root/.data}"
export CLINIC_REDIS_PORT="${CLINIC_REDIS_PORT:-6390}"
export CLINIC_REDIS="127.0.0.1:$CLINIC_REDIS_PORT"

redis_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$CLINIC_REDIS_PORT") 2>/dev/null; }

if ! redis_listening; then
  if ! command -v redis-server >/dev/null; then
    echo "Redis is not installed; installing it from Debian..."
    if [[ "$(id -u)" != "0" ]]; then echo "run as root (or install the 'redis-server' package) first" >&2; exit 1; fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq redis-server >/dev/null
    systemctl disable --now redis-server >/dev/null 2>&1 || true
  fi
  mkdir -p "$CLINIC_DATA_DIR"
  redis-server --port "$CLINIC_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$CLINIC_DATA_DIR/redis.pid" --logfile "$CLINIC_DATA_DIR/redis.log" --dir "$CLINIC_DATA_DIR"
  for _ in $(seq 1 50); do redis_listening && break; sleep 0.1; done
  redis_listening || { echo "Redis did not start; see $CLINIC_DATA_DIR/redis.log" >&2; exit 1; }
fi
