#!/usr/bin/env bash
# Sourced by scripts/run and scripts/test: the Janus WebRTC server on loopback for sessions' video rooms, installed from
# Debian (with its JavaScript client) when missing. Only the VideoRoom plugin and the HTTP transport are loaded; the admin
# API is off; creating a room needs the admin key this script makes once and keeps in the data folder. ICE uses loopback.
# Exports CLINIC_JANUS_URL and Video__Janus__* for the clinic.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CLINIC_DATA_DIR="${CLINIC_DATA_DIR:-$repo_root/.data}"
export CLINIC_JANUS_PORT="${CLINIC_JANUS_PORT:-8088}"
export CLINIC_JANUS_URL="http://127.0.0.1:$CLINIC_JANUS_PORT/janus"
janus_dir="$CLINIC_DATA_DIR/janus"

janus_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$CLINIC_JANUS_PORT") 2>/dev/null; }

if ! command -v janus >/dev/null || [[ ! -f /usr/share/javascript/janus-gateway/janus.js ]]; then
  echo "Janus is not installed; installing it from Debian..."
  if [[ "$(id -u)" != "0" ]]; then echo "run as root (or install the 'janus' and 'libjs-janus-gateway' packages) first" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq janus libjs-janus-gateway >/dev/null
  # On a machine with systemd the package starts its own Janus on 8088: this checkout runs its own, configured here.
  systemctl disable --now janus >/dev/null 2>&1 || true
fi

# Its plugins live under the machine's multiarch directory (x86_64-linux-gnu, aarch64-linux-gnu, ...).
janus_libs="$(dirname "$(dpkg -L janus | grep -m1 '/janus/plugins$')")"
mkdir -p "$janus_dir"
# The admin key (and the plugin config that holds it) readable by this user alone.
[[ -f "$janus_dir/admin.key" ]] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$janus_dir/admin.key")
export Video__Janus__AdminKey="$(cat "$janus_dir/admin.key")"
export Video__Janus__Url="$CLINIC_JANUS_URL"
# TURN for the video clients (coturn), beside Janus.
source "$repo_root/scripts/turn.sh"

if janus_listening && ! { [[ -s "$CLINIC_DATA_DIR/janus.pid" ]] && kill -0 "$(cat "$CLINIC_DATA_DIR/janus.pid")" 2>/dev/null; }; then
  # Someone else's Janus (another checkout's) holds the port, with an admin key this checkout does not know.
  echo "Port $CLINIC_JANUS_PORT has a Janus this checkout did not start; stop it (kill its process) or set CLINIC_JANUS_PORT." >&2
  exit 1
fi

if ! janus_listening; then
  cat > "$janus_dir/janus.jcfg" <<JCFG
general: {
  configs_folder = "$janus_dir"
  plugins_folder = "$janus_libs/plugins"
  transports_folder = "$janus_libs/transports"
  events_folder = "$janus_libs/events"
  loggers_folder = "$janus_libs/loggers"
  debug_level = 3
  session_timeout = 120
}
media: { rtp_port_range = "20000-40000" }
nat: { ice_enforce_list = "lo" ignore_mdns = true }
plugins: { disable = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_voicemail.so" }
transports: { disable = "libjanus_websockets.so,libjanus_pfunix.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_rabbitmq.so" }
events: { broadcast = false }
loggers: { disable = "libjanus_jsonlog.so" }
JCFG
  cat > "$janus_dir/janus.transport.http.jcfg" <<JCFG
general: { json = "compact" base_path = "/janus" http = true port = $CLINIC_JANUS_PORT ip = "127.0.0.1" https = false }
admin: { admin_http = false admin_https = false }
JCFG
  (umask 077; cat > "$janus_dir/janus.plugin.videoroom.jcfg") <<JCFG
general: { admin_key = "$Video__Janus__AdminKey" string_ids = true lock_rtp_forward = true }
JCFG
  nohup janus --configs-folder="$janus_dir" --config="$janus_dir/janus.jcfg" > "$CLINIC_DATA_DIR/janus.log" 2>&1 &
  echo $! > "$CLINIC_DATA_DIR/janus.pid"
  for _ in $(seq 1 100); do janus_listening && curl -sf "$CLINIC_JANUS_URL/info" >/dev/null 2>&1 && break; sleep 0.1; done
  janus_listening || { echo "Janus did not start; see $CLINIC_DATA_DIR/janus.log" >&2; exit 1; }
fi
