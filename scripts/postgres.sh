#!/usr/bin/env bash
# Sourced by scripts/run and scripts/test: installs PostgreSQL from Debian when it is missing and starts
# a private cluster under the checkout's data folder on a loopback port. Exports CLINIC_PG_* for callers.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CLINIC_DATA_DIR="${CLINIC_DATA_DIR:-$repo_root/.data}"
export CLINIC_PG_HOST=127.0.0.1
pg_dir="$CLINIC_DATA_DIR/postgres"
pg_log="$CLINIC_DATA_DIR/postgres.log"
port_file="$CLINIC_DATA_DIR/postgres.port"
port_chosen_by_caller="${CLINIC_PG_PORT:+yes}"
if [[ -z "${CLINIC_PG_PORT:-}" ]]; then
  CLINIC_PG_PORT="$(cat "$port_file" 2>/dev/null || echo 55432)"
fi
export CLINIC_PG_PORT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

find_pg_bin() {
  # The version the cluster was made with, else the newest installed.
  local version
  version="$(cat "$pg_dir/PG_VERSION" 2>/dev/null || true)"
  if [[ -n "$version" && -x "/usr/lib/postgresql/$version/bin/pg_ctl" ]]; then echo "/usr/lib/postgresql/$version/bin"; return 0; fi
  version="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$version" && -x "/usr/lib/postgresql/$version/bin/pg_ctl" ]] && { echo "/usr/lib/postgresql/$version/bin"; return 0; }
  return 1
}

as_pg_owner() {
  if [[ "$(id -u)" == "0" ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! pg_bin="$(find_pg_bin)"; then
  echo "PostgreSQL is not installed; installing it from Debian..."
  if [[ "$(id -u)" != "0" ]]; then echo "run as root (or install the 'postgresql' package) first" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  pg_bin="$(find_pg_bin)"
fi
export CLINIC_PG_BIN="$pg_bin"

mkdir -p "$CLINIC_DATA_DIR"
if [[ "$(id -u)" == "0" ]]; then
  [[ -d "$pg_dir" ]] || { mkdir -p "$pg_dir"; chown postgres:postgres "$pg_dir"; }
  touch "$pg_log"; chown postgres:postgres "$pg_log"
  # The postgres user must be able to reach the data folder through its parents.
  d="$(dirname "$CLINIC_DATA_DIR")"
  while [[ "$d" != "/" ]]; do
    if ! runuser -u postgres -- test -x "$d"; then
      echo "Letting the postgres user through $d (chmod o+x) to reach $CLINIC_DATA_DIR" >&2
      chmod o+x "$d"
    fi
    d="$(dirname "$d")"
  done
fi

if [[ ! -s "$pg_dir/PG_VERSION" ]]; then
  echo "Creating a PostgreSQL cluster in $pg_dir"
  as_pg_owner "$pg_bin/initdb" -D "$pg_dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

if ! as_pg_owner "$pg_bin/pg_ctl" -D "$pg_dir" status >/dev/null 2>&1; then
  # Another cluster (another checkout, say) may hold the port: take the next free one unless the caller chose it.
  while port_in_use "$CLINIC_PG_PORT"; do
    if [[ -n "$port_chosen_by_caller" ]]; then echo "port $CLINIC_PG_PORT is taken" >&2; exit 1; fi
    CLINIC_PG_PORT=$((CLINIC_PG_PORT + 1))
  done
  export CLINIC_PG_PORT
  echo "$CLINIC_PG_PORT" > "$port_file"
  extra="${CLINIC_PG_OPTIONS:-}"
  # TCP on loopback only; no Unix socket, so nothing is left in a shared folder such as /tmp.
  as_pg_owner "$pg_bin/pg_ctl" -D "$pg_dir" -l "$pg_log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $CLINIC_PG_PORT -c unix_socket_directories='' -c max_connections=300 $extra" >/dev/null
  echo "PostgreSQL started on 127.0.0.1:$CLINIC_PG_PORT (data: $pg_dir)"
fi

clinic_psql() {
  "$pg_bin/psql" -h 127.0.0.1 -p "$CLINIC_PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"
}

ensure_database() {
  local name="$1"
  if [[ "$(clinic_psql -d postgres -c "select 1 from pg_database where datname = '$name'")" != "1" ]]; then
    clinic_psql -d postgres -c "create database \"$name\"" >/dev/null
  fi
}
