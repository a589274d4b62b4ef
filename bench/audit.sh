#!/usr/bin/env bash
# Audit benchmark: a store of at least N events (default 1,000,000) on its own PostgreSQL cluster (fsync on), then the
# rebuild of every projection and the hash-chain verification, each beside a plain query reading the same rows.
# The store is kept in bench/.out between runs, so a second run measures without seeding again.
# Usage: bench/audit.sh [events, default 1000000]
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
events="${1:-1000000}"
out="$repo_root/bench/.out"
mkdir -p "$out"

export CLINIC_DATA_DIR="$out/audit-data" CLINIC_PG_OPTIONS=""
unset CLINIC_PG_PORT
source scripts/postgres.sh
ensure_database clinic_audit
echo "fsync: $(clinic_psql -d postgres -c 'show fsync'), synchronous_commit: $(clinic_psql -d postgres -c 'show synchronous_commit')" >&2

# One master key for the life of this store: the chain key derives from it.
[[ -s "$out/audit-master-key" ]] || head -c 32 /dev/urandom | base64 > "$out/audit-master-key"
export Encryption__MasterKey="$(cat "$out/audit-master-key")"
export ConnectionStrings__Clinic="Host=127.0.0.1;Port=$CLINIC_PG_PORT;Database=clinic_audit;Username=postgres;Maximum Pool Size=20"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "Building..." >&2
dotnet build bench/Audit -c Release -nologo -v quiet -clp:ErrorsOnly >&2
ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
  dotnet src/Api/bin/Release/net10.0/EventSourcedClinic.Api.dll migrate > "$out/audit-migrate.log" 2>&1 \
  || { tail -20 "$out/audit-migrate.log" >&2; exit 1; }
echo "CPU: $(nproc) cores; PostgreSQL $(clinic_psql -d postgres -c 'show server_version')" >&2
dotnet bench/Audit/bin/Release/net10.0/EventSourcedClinic.AuditBench.dll "$ConnectionStrings__Clinic" "$events"
