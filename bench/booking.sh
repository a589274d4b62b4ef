#!/usr/bin/env bash
# Booking benchmark: the production build on its own PostgreSQL cluster (fsync on), seeded with the demo clinic;
# patients book distinct slots over HTTP, then fight over four slots, then plain inserts give the baseline.
# Usage: bench/booking.sh [concurrency, default 16] [seconds, default 20] [patients, default 120]
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
concurrency="${1:-16}"; seconds="${2:-20}"; patients="${3:-120}"
out="$repo_root/bench/.out"
mkdir -p "$out"

# A cluster of its own with the durable defaults (the test cluster runs with fsync off).
export CLINIC_DATA_DIR="$out/booking-data" CLINIC_PG_OPTIONS=""
unset CLINIC_PG_PORT
source scripts/postgres.sh
clinic_psql -d postgres -c "drop database if exists clinic_bench with (force)" > /dev/null 2>&1
clinic_psql -d postgres -c "create database clinic_bench" > /dev/null
echo "fsync: $(clinic_psql -d postgres -c 'show fsync'), synchronous_commit: $(clinic_psql -d postgres -c 'show synchronous_commit')" >&2

echo "Publishing the production build..." >&2
bash scripts/publish "$out/publish" > "$out/publish.log" 2>&1 || { tail -20 "$out/publish.log" >&2; exit 1; }
dotnet build bench/Booking -c Release -nologo -v quiet -clp:ErrorsOnly >&2
dotnet build src/Demo -c Release -nologo -v quiet -clp:ErrorsOnly >&2
dotnet build tools/FakeStripe -c Release -nologo -v quiet -clp:ErrorsOnly >&2

port=5182
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use" >&2; exit 1; fi
dll="$out/publish/EventSourcedClinic.Api.dll"
export ConnectionStrings__Clinic="Host=127.0.0.1;Port=$CLINIC_PG_PORT;Database=clinic_bench;Username=postgres;Maximum Pool Size=100"
export Encryption__MasterKey="$(head -c 32 /dev/urandom | base64)"
export ASPNETCORE_URLS="http://127.0.0.1:$port" Auth__AllowHttp=true Auth__AllowPasswordGrant=true Logging__LogLevel__Default=Warning
ASPNETCORE_ENVIRONMENT=Production dotnet "$dll" migrate > "$out/migrate.log" 2>&1
ASPNETCORE_ENVIRONMENT=Development dotnet "$repo_root/src/Demo/bin/Release/net10.0/EventSourcedClinic.Demo.dll" > "$out/seed.log" 2>&1
# The paid variant pays through Stripe's API on the local fake, which signs its webhooks to the API.
stripe_port=5183
FAKE_STRIPE_URLS="http://127.0.0.1:$stripe_port" FAKE_STRIPE_WEBHOOK_URL="http://127.0.0.1:$port/webhooks/stripe" FAKE_STRIPE_WEBHOOK_SECRET=whsec_bench \
  dotnet "$repo_root/tools/FakeStripe/bin/Release/net10.0/EventSourcedClinic.FakeStripe.dll" > "$out/stripe.log" 2>&1 &
stripe_pid=$!
export Payments__Stripe__ApiBase="http://127.0.0.1:$stripe_port" Payments__Stripe__SecretKey=sk_test_bench Payments__Stripe__PublishableKey=pk_test_bench \
  Payments__Stripe__WebhookSecret=whsec_bench
ASPNETCORE_ENVIRONMENT=Production Messaging__Durability=Solo dotnet "$dll" > "$out/api.log" 2>&1 &
pid=$!
trap 'kill $pid $stripe_pid 2>/dev/null || true' EXIT
deadline=$((SECONDS + 120))
until curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null; do
  if ! kill -0 "$pid" 2>/dev/null || (( SECONDS > deadline )); then echo "the API did not start:" >&2; tail -20 "$out/api.log" >&2; exit 1; fi
  sleep 0.1
done

dotnet "$repo_root/bench/Booking/bin/Release/net10.0/EventSourcedClinic.Booking.dll" "http://127.0.0.1:$port" "$ConnectionStrings__Clinic" "$pid" \
  "$concurrency" "$seconds" "$patients" "http://127.0.0.1:$stripe_port"
