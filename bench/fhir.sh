#!/usr/bin/env bash
# FHIR benchmark: the production build on its own PostgreSQL cluster (fsync on), seeded with the demo clinic and a
# patient with two years of weekly sessions; Patient/$everything latency, FHIR read and search throughput per core.
# Usage: bench/fhir.sh [concurrency, default 16] [seconds, default 15]
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
concurrency="${1:-16}"; seconds="${2:-15}"
out="$repo_root/bench/.out"
mkdir -p "$out"

export CLINIC_DATA_DIR="$out/fhir-data" CLINIC_PG_OPTIONS=""
unset CLINIC_PG_PORT
source scripts/postgres.sh
clinic_psql -d postgres -c "drop database if exists clinic_fhir with (force)" > /dev/null 2>&1
clinic_psql -d postgres -c "create database clinic_fhir" > /dev/null

echo "Publishing the production build..." >&2
bash scripts/publish "$out/publish" > "$out/publish.log" 2>&1 || { tail -20 "$out/publish.log" >&2; exit 1; }
dotnet build bench/Fhir -c Release -nologo -v quiet -clp:ErrorsOnly >&2
dotnet build src/Demo -c Release -nologo -v quiet -clp:ErrorsOnly >&2

port=5183
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use" >&2; exit 1; fi
dll="$out/publish/EventSourcedClinic.Api.dll"
export ConnectionStrings__Clinic="Host=127.0.0.1;Port=$CLINIC_PG_PORT;Database=clinic_fhir;Username=postgres;Maximum Pool Size=100"
export Encryption__MasterKey="$(head -c 32 /dev/urandom | base64)"
export ASPNETCORE_URLS="http://127.0.0.1:$port" Auth__AllowHttp=true Auth__AllowPasswordGrant=true Logging__LogLevel__Default=Warning
ASPNETCORE_ENVIRONMENT=Production dotnet "$dll" migrate > "$out/fhir-migrate.log" 2>&1
ASPNETCORE_ENVIRONMENT=Development dotnet "$repo_root/src/Demo/bin/Release/net10.0/EventSourcedClinic.Demo.dll" > "$out/fhir-seed.log" 2>&1
ASPNETCORE_ENVIRONMENT=Production Messaging__Durability=Solo dotnet "$dll" > "$out/fhir-api.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
deadline=$((SECONDS + 120))
until curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null; do
  if ! kill -0 "$pid" 2>/dev/null || (( SECONDS > deadline )); then echo "the API did not start:" >&2; tail -20 "$out/fhir-api.log" >&2; exit 1; fi
  sleep 0.1
done

dotnet bench/Fhir/bin/Release/net10.0/EventSourcedClinic.FhirBench.dll "http://127.0.0.1:$port" "$ConnectionStrings__Clinic" "$concurrency" "$seconds"
