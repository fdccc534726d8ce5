#!/usr/bin/env bash
# Idle cost of local mode: starts Flexoraa exactly as `dotnet run --project frontend-api` would (Release build, a fresh
# data directory), waits until it is ready, lets it settle, then measures the CPU time its .NET process and its private
# PostgreSQL (every process of that server) use over a window with no traffic. Prints cores used on average.
#   bench/idle-cpu.sh [seconds=60] [--Orleans:…=… …]   (further arguments go to Flexoraa)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
data="$(mktemp -d /tmp/flexoraa-idle-XXXXXX)"
chmod 755 "$data"
port=$((20000 + RANDOM % 20000))
dotnet build -c Release frontend-api -v q -nologo >/dev/null
dotnet frontend-api/bin/Release/net10.0/Flexoraa.FrontendApi.dll --urls "http://127.0.0.1:$port" --Flexoraa:DataDirectory="$data" \
  --Orleans:SiloPort=$((port + 1)) --Orleans:GatewayPort=$((port + 2)) "$@" >"$data/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; wait $app 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
sleep 15   # start-up work (migrations, first activations, JIT) is not idle cost

ticks() { # user+system clock ticks of a pid; with "reaped", also those of its children that have exited
  [[ -r /proc/$1/stat ]] || { echo 0; return; }
  read -r -a f < <(sed 's/^.*) //' /proc/$1/stat)
  if [[ "${2:-}" == reaped ]]; then echo $((f[11] + f[12] + f[13] + f[14])); else echo $((f[11] + f[12])); fi
}
postgres_ticks() { # the postmaster (with the backends it reaped) and every live backend
  local postmaster total
  postmaster=$(head -n 1 "$data/postgres/data/postmaster.pid")
  total=$(ticks "$postmaster" reaped)
  for pid in $(pgrep -P "$postmaster"); do total=$((total + $(ticks "$pid"))); done
  echo "$total"
}

dotnet_before=$(ticks $app); pg_before=$(postgres_ticks)
sleep "$seconds"
dotnet_after=$(ticks $app); pg_after=$(postgres_ticks)
hz=$(getconf CLK_TCK)
awk -v d=$((dotnet_after - dotnet_before)) -v p=$((pg_after - pg_before)) -v hz="$hz" -v s="$seconds" 'BEGIN {
  printf "idle over %d s: .NET %.4f cores, PostgreSQL %.4f cores, together %.4f cores\n", s, d/hz/s, p/hz/s, (d+p)/hz/s }'
