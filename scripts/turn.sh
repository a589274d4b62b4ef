#!/usr/bin/env bash
# Sourced by scripts/janus.sh: coturn, the TURN server video clients relay through when no direct path works (the
# internet's NATs), on loopback for the demo and the tests, installed from Debian when missing. It accepts only
# short-lived credentials the clinic derives from a shared secret (the TURN REST API scheme), made once and kept in
# the data folder. Exports Video__Turn__* for the clinic.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CLINIC_DATA_DIR="${CLINIC_DATA_DIR:-$repo_root/.data}"
export CLINIC_TURN_PORT="${CLINIC_TURN_PORT:-3478}"
turn_dir="$CLINIC_DATA_DIR/turn"

turn_running() { [[ -s "$CLINIC_DATA_DIR/turn.pid" ]] && kill -0 "$(cat "$CLINIC_DATA_DIR/turn.pid")" 2>/dev/null; }

if ! command -v turnserver >/dev/null; then
  echo "coturn is not installed; installing it from Debian..."
  if [[ "$(id -u)" != "0" ]]; then echo "run as root (or install the 'coturn' package) first" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq coturn >/dev/null
  # On a machine with systemd the package may start its own coturn on 3478: this checkout runs its own.
  systemctl disable --now coturn >/dev/null 2>&1 || true
fi

mkdir -p "$turn_dir"
[[ -f "$turn_dir/secret" ]] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$turn_dir/secret")
export Video__Turn__Secret="$(cat "$turn_dir/secret")"
export Video__Turn__Urls__0="turn:127.0.0.1:$CLINIC_TURN_PORT?transport=udp"

if ! turn_running; then
  # Loopback peers are allowed only because everything here is on loopback (Janus too); a deployment leaves them refused.
  # The secret goes in a file only this user reads, not on the command line where any process list shows it.
  (umask 077; cat > "$turn_dir/turnserver.conf") <<CONF
listening-ip=127.0.0.1
relay-ip=127.0.0.1
listening-port=$CLINIC_TURN_PORT
min-port=49160
max-port=49300
use-auth-secret
static-auth-secret=$Video__Turn__Secret
realm=clinic.local
fingerprint
no-tls
no-dtls
no-cli
no-tcp-relay
stale-nonce=600
pidfile=$CLINIC_DATA_DIR/turn.pid
log-file=$CLINIC_DATA_DIR/turn.log
simple-log
CONF
  # Loopback peers are allowed only because everything here is on loopback (Janus too); a deployment leaves them refused.
  turnserver -c "$turn_dir/turnserver.conf" --allow-loopback-peers --daemon
  for _ in $(seq 1 50); do turn_running && break; sleep 0.1; done
  turn_running || { echo "coturn did not start; see $CLINIC_DATA_DIR/turn.log" >&2; exit 1; }
fi
