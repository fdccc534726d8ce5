#!/usr/bin/env bash
# Runs Flexoraa in cluster mode on one machine: one PostgreSQL, two silos and one frontend (an Orleans client),
# all against the same database. Ctrl-C stops every process, then PostgreSQL.
#
#   deploy/local-cluster.sh            # frontend on http://localhost:5080
#   PORT=8080 deploy/local-cluster.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
state="${FLEXORAA_CLUSTER_DIR:-$root/.flexoraa/cluster}"
pgdata="$state/postgres/data"
pgport="${PGPORT_CLUSTER:-55433}"
httpport="${PORT:-5080}"
pids=()

pgbin="${FLEXORAA_POSTGRES_BIN:-}"
if [[ -z "$pgbin" ]]; then
  if command -v initdb >/dev/null; then pgbin="$(dirname "$(command -v initdb)")"
  elif command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then pgbin="$(pg_config --bindir)"
  else pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"; fi
fi
if [[ -z "$pgbin" || ! -x "$pgbin/initdb" ]]; then
  echo "PostgreSQL server programs not found. Install them (apt-get install postgresql) or set FLEXORAA_POSTGRES_BIN." >&2
  exit 2
fi

as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

mkdir -p "$state/postgres" "$state/logs"
if [[ ! -f "$pgdata/PG_VERSION" ]]; then
  password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo -n "$password" > "$state/postgres/superuser.password"
  chmod 600 "$state/postgres/superuser.password"
  [[ $EUID -eq 0 ]] && chown -R postgres:postgres "$state/postgres"
  as_pg "$pgbin/initdb" -D "$pgdata" -U flexoraa --pwfile="$state/postgres/superuser.password" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
fi
password="$(cat "$state/postgres/superuser.password")"
as_pg "$pgbin/pg_ctl" start -w -D "$pgdata" -l "$state/postgres/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $pgport -c unix_socket_directories='' -c max_connections=400" >/dev/null
export PGPASSWORD="$password"
psql -h 127.0.0.1 -p "$pgport" -U flexoraa -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='flexoraa'" | grep -q 1 \
  || psql -h 127.0.0.1 -p "$pgport" -U flexoraa -d postgres -c "CREATE DATABASE flexoraa" >/dev/null

stop_all() {
  # Ignore repeated Ctrl-C while shutting down, so PostgreSQL is always stopped last.
  trap '' INT TERM; trap - EXIT
  echo "Stopping Flexoraa cluster..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  as_pg "$pgbin/pg_ctl" stop -w -m fast -D "$pgdata" >/dev/null || true
  echo "Stopped."
  exit 0
}
trap stop_all INT TERM EXIT

# Every frontend of a cluster must sign and check tokens with one key; keep one beside the cluster's data.
if [[ ! -f "$state/jwt-signing.key" ]]; then
  head -c 48 /dev/urandom | base64 -w0 > "$state/jwt-signing.key"
  chmod 600 "$state/jwt-signing.key"
fi
export Flexoraa__Auth__SigningKey="$(cat "$state/jwt-signing.key")"
export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pgport;Username=flexoraa;Password=$password;Database=flexoraa"
export Flexoraa__DataDirectory="$state"

dotnet build "$root/Flexoraa.sln" -c Release -v q -nologo >/dev/null
silo_dll="$root/silo/bin/Release/net10.0/Flexoraa.Silo.dll"
api_dll="$root/frontend-api/bin/Release/net10.0/Flexoraa.FrontendApi.dll"

Orleans__SiloPort=11111 Orleans__GatewayPort=30000 dotnet "$silo_dll" >"$state/logs/silo-1.log" 2>&1 & pids+=($!)
Orleans__SiloPort=11112 Orleans__GatewayPort=30001 dotnet "$silo_dll" >"$state/logs/silo-2.log" 2>&1 & pids+=($!)
sleep 2
(cd "$(dirname "$api_dll")" && exec dotnet "$api_dll" --urls "http://localhost:$httpport") >"$state/logs/frontend.log" 2>&1 & pids+=($!)

echo "Flexoraa cluster: PostgreSQL 127.0.0.1:$pgport, silos on 11111/11112 (gateways 30000/30001), frontend http://localhost:$httpport"
echo "Logs in $state/logs. Press Ctrl-C to stop everything."
wait -n "${pids[@]}" || true
echo "A process exited; see $state/logs." >&2
