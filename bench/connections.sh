#!/usr/bin/env bash
# Connections benchmark: the production build's conversations hub with many WebSocket connections (one patient's
# conversation shared by many connections, as by many devices), messages fanned out to every connection of each
# conversation; beside a bare SignalR hub on the same machine as the baseline.
# Usage: bench/connections.sh [connection counts, default 1000,5000] [rounds, default 5] [conversations, default 50]
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
counts="${1:-1000,5000}"; rounds="${2:-5}"; conversations="${3:-50}"
out="$repo_root/bench/.out"
mkdir -p "$out"
ulimit -n 65536 2>/dev/null || true

export CLINIC_DATA_DIR="$out/connections-data" CLINIC_PG_OPTIONS=""
unset CLINIC_PG_PORT
source scripts/postgres.sh
clinic_psql -d postgres -c "drop database if exists clinic_hub_bench with (force)" > /dev/null 2>&1
clinic_psql -d postgres -c "create database clinic_hub_bench" > /dev/null

echo "Publishing the production build..." >&2
bash scripts/publish "$out/publish" > "$out/publish.log" 2>&1 || { tail -20 "$out/publish.log" >&2; exit 1; }
dotnet build bench/Connections -c Release -nologo -v quiet -clp:ErrorsOnly >&2

port=5185; echo_port=5186
for p in $port $echo_port; do if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is in use" >&2; exit 1; fi; done
dll="$out/publish/EventSourcedClinic.Api.dll"
bench_dll="$repo_root/bench/Connections/bin/Release/net10.0/EventSourcedClinic.Connections.dll"
export ConnectionStrings__Clinic="Host=127.0.0.1;Port=$CLINIC_PG_PORT;Database=clinic_hub_bench;Username=postgres;Maximum Pool Size=100"
export Encryption__MasterKey="$(head -c 32 /dev/urandom | base64)"
export ASPNETCORE_URLS="http://127.0.0.1:$port" Auth__AllowHttp=true Auth__AllowPasswordGrant=true Logging__LogLevel__Default=Warning
ASPNETCORE_ENVIRONMENT=Production dotnet "$dll" migrate > "$out/migrate.log" 2>&1
ASPNETCORE_ENVIRONMENT=Production Messaging__Durability=Solo Payments__Billing__NightlyReconciliation=false dotnet "$dll" > "$out/hub-api.log" 2>&1 &
pid=$!
dotnet "$bench_dll" echo-server "http://127.0.0.1:$echo_port" > "$out/echo.log" 2>&1 &
echo_pid=$!
trap 'kill $pid $echo_pid 2>/dev/null || true; as_pg_owner "$pg_bin/pg_ctl" -D "$pg_dir" stop -m fast >/dev/null 2>&1 || true' EXIT
deadline=$((SECONDS + 120))
until curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$echo_port") 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null || (( SECONDS > deadline )); then echo "the API did not start:" >&2; tail -20 "$out/hub-api.log" >&2; exit 1; fi
  sleep 0.1
done

dotnet "$bench_dll" "http://127.0.0.1:$port" "$pid" "http://127.0.0.1:$echo_port" "$echo_pid" "$counts" "$rounds" "$conversations"
