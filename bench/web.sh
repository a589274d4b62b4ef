#!/usr/bin/env bash
# Web benchmark: the web app's main pages under 50 signed-in users at once, each beside the API call it is made from
# (measured the same way in the same run), and each page's bytes on a first and a repeat visit. The clinic runs as
# scripts/run runs it (Release builds, the demo seed, the fake Stripe) on its own database.
# Usage: bench/web.sh [users, default 50] [requests per user and page, default 20]
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
users="${1:-50}"; per_user="${2:-20}"
out="$repo_root/bench/.out"
mkdir -p "$out"

export CLINIC_DATA_DIR="$out/web-data" CLINIC_PG_OPTIONS=""
unset CLINIC_PG_PORT
source scripts/postgres.sh
clinic_psql -d postgres -c "drop database if exists clinic_web_bench with (force)" > /dev/null 2>&1
clinic_psql -d postgres -c "create database clinic_web_bench" > /dev/null

echo "Building the API, the web app, the demo seed, the fake Stripe and the benchmark..." >&2
for project in src/Demo src/Web tools/FakeStripe bench/Web; do dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly >&2; done

api_port=5187; web_port=5188; stripe_port=5189
for p in $api_port $web_port $stripe_port; do if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is in use" >&2; exit 1; fi; done
api="http://127.0.0.1:$api_port"; web="http://127.0.0.1:$web_port"; stripe="http://127.0.0.1:$stripe_port"
export ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Clinic="Host=127.0.0.1;Port=$CLINIC_PG_PORT;Database=clinic_web_bench;Username=postgres;Maximum Pool Size=100"
export Payments__Stripe__ApiBase="$stripe" Auth__AppRedirectUris__0="$web/signin-oidc" Payments__Billing__NightlyReconciliation=false Video__Provider=""
export Logging__LogLevel__Default=Warning
dotnet src/Api/bin/Release/net10.0/EventSourcedClinic.Api.dll migrate > "$out/web-migrate.log" 2>&1
dotnet src/Demo/bin/Release/net10.0/EventSourcedClinic.Demo.dll > "$out/web-seed.log" 2>&1
FAKE_STRIPE_URLS="$stripe" FAKE_STRIPE_WEBHOOK_URL="$api/webhooks/stripe" dotnet tools/FakeStripe/bin/Release/net10.0/EventSourcedClinic.FakeStripe.dll > "$out/web-stripe.log" 2>&1 &
stripe_pid=$!
ASPNETCORE_URLS="$api" dotnet src/Api/bin/Release/net10.0/EventSourcedClinic.Api.dll > "$out/web-api.log" 2>&1 &
api_pid=$!
(cd src/Web && exec env ASPNETCORE_URLS="$web" Web__ApiUrl="$api" Web__AllowHttp=true dotnet bin/Release/net10.0/EventSourcedClinic.Web.dll > "$out/web-web.log" 2>&1) &
web_pid=$!
trap 'kill $stripe_pid $api_pid $web_pid 2>/dev/null || true; as_pg_owner "$pg_bin/pg_ctl" -D "$pg_dir" stop -m fast >/dev/null 2>&1 || true' EXIT
deadline=$((SECONDS + 120))
until curl -sf "$api/health/ready" > /dev/null && curl -sf "$web/health" > /dev/null; do
  if (( SECONDS > deadline )); then echo "the API or the web app did not start:" >&2; tail -20 "$out/web-api.log" "$out/web-web.log" >&2; exit 1; fi
  sleep 0.2
done

dotnet bench/Web/bin/Release/net10.0/EventSourcedClinic.WebBench.dll "$web" "$api" "$users" "$per_user"
