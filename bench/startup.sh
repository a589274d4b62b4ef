#!/usr/bin/env bash
# Start-up benchmark: time to ready, first-request latency and steady latency of the directory search and the token
# endpoint, for the production build (static generated code) and the development build (runtime code generation).
# Prints a table and a one-line summary. Usage: bench/startup.sh [runs-per-mode, default 3]
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
runs="${1:-3}"
source scripts/postgres.sh
out="$repo_root/bench/.out"
port=5181
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use" >&2; exit 1; fi
base="http://127.0.0.1:$port"

echo "Publishing (static code generation)..." >&2
bash scripts/publish "$out/publish" > "$out.publish.log" 2>&1 || { cat "$out.publish.log" >&2; exit 1; }
dotnet build src/Demo -c Release -nologo -v quiet -clp:ErrorsOnly >&2
dev_dll="$repo_root/src/Api/bin/Release/net10.0/EventSourcedClinic.Api.dll"
rm -rf src/Api/Internal/Generated   # the development build generates its code at run time

now() { date +%s.%N; }
measure() { # mode dll environment
  local mode="$1" dll="$2" environment="$3" db="clinic_bench_startup"
  clinic_psql -d postgres -c "drop database if exists $db with (force)" >/dev/null
  clinic_psql -d postgres -c "create database $db" >/dev/null
  export ConnectionStrings__Clinic="Host=127.0.0.1;Port=$CLINIC_PG_PORT;Database=$db;Username=postgres"
  export Encryption__MasterKey="${Encryption__MasterKey:-$(head -c 32 /dev/urandom | base64)}"
  export ASPNETCORE_ENVIRONMENT="$environment" ASPNETCORE_URLS="$base" Auth__AllowHttp=true Auth__AllowPasswordGrant=true Logging__LogLevel__Default=Warning
  ASPNETCORE_ENVIRONMENT=Development dotnet "$repo_root/src/Demo/bin/Release/net10.0/EventSourcedClinic.Demo.dll" > /dev/null 2>&1
  for run in $(seq 1 "$runs"); do
    local start ready pid
    start=$(now)
    dotnet "$dll" > "$out/host.log" 2>&1 & pid=$!
    local deadline=$((SECONDS + 120))
    until curl -sf "$base/health/ready" > /dev/null; do
      if ! kill -0 "$pid" 2>/dev/null || (( SECONDS > deadline )); then
        echo "the $mode host did not become ready; its log:" >&2; tail -20 "$out/host.log" >&2; kill "$pid" 2>/dev/null; exit 1
      fi
      sleep 0.02
    done
    ready=$(now)
    local search token
    search=$(curl -s -o /dev/null -w '%{time_total}' "$base/api/directory/therapists?language=pl&method=cbt")
    token=$(curl -s -o /dev/null -w '%{time_total}' "$base/connect/token" -d grant_type=password -d client_id=clinic-app \
      -d username=admin@demo.clinic -d password=demo-clinic-2027 -d scope=clinic.api)
    local steady=()
    for _ in $(seq 1 200); do
      steady+=("$(curl -s -o /dev/null -w '%{time_total}' "$base/api/directory/therapists?language=pl&method=cbt")")
    done
    local rss
    rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    printf '%s %s %s %s %s %s %s\n' "$mode" "$run" "$(python3 -c "print($ready - $start)")" "$search" "$token" "${steady[*]}" "$rss"
  done
}

{ measure static "$out/publish/EventSourcedClinic.Api.dll" Production; measure dynamic "$dev_dll" Development; } > "$out/results.txt"

python3 - "$out/results.txt" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
print(f"{'mode':8} {'run':>3} {'ready s':>8} {'1st search ms':>14} {'1st token ms':>13} {'search p50 ms':>14} {'p95 ms':>7} {'peak RSS MiB':>13}")
summary = {}
for r in rows:
    mode, run, ready, search, token = r[0], r[1], float(r[2]), float(r[3]) * 1000, float(r[4]) * 1000
    steady = sorted(float(x) * 1000 for x in r[5:-1]); rss = int(r[-1]) / 1024
    p50 = statistics.median(steady); p95 = steady[int(len(steady) * 0.95) - 1]
    print(f"{mode:8} {run:>3} {ready:8.2f} {search:14.1f} {token:13.1f} {p50:14.1f} {p95:7.1f} {rss:13.0f}")
    summary.setdefault(mode, []).append((ready, search, p50))
parts = [f"{m}: ready {statistics.median(x[0] for x in v):.2f} s, first search {statistics.median(x[1] for x in v):.0f} ms, steady p50 {statistics.median(x[2] for x in v):.1f} ms"
         for m, v in summary.items()]
print("summary: " + "; ".join(parts))
PY
