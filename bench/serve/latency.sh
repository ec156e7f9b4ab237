#!/usr/bin/env bash
# Time from the HTTP request carrying an attack record to the webhook announcing its incident, while a
# background load of RATE records per second (mail access and sign-ins, half each) runs against the
# published `forgewatch serve` on loopback (SQLite in a temporary data folder), spread evenly over TENANTS
# tenants (a provider's server; 1 puts all of it on one tenant). One attack every ATTACK_MS milliseconds, each
# from its own address on the tenants' indicator list, to the tenants in turn. Prints the background rate
# reached and the latency percentiles (bench/Forgewatch.ServeLoad, LatencyLoad.cs), and the server's peak
# resident memory.
# usage: bench/serve/latency.sh [RATE] [SECONDS] [ATTACK_MS] [TENANTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rate=${1:-10000}
seconds=${2:-60}
attack_ms=${3:-500}
tenant_count=${4:-1}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet publish src/Forgewatch.Cli -c Release -r linux-x64 --self-contained false -o "$work/fw" >/dev/null
dotnet build bench/Forgewatch.ServeLoad -c Release -o "$work/load" >/dev/null
fw="$work/fw/forgewatch"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
hook=$(free_port)
tenants=""
keys=""
for i in $(seq 1 "$tenant_count"); do
  key=$("$fw" tenant add "bench$i" --admin soc@bench.example --webhook "http://127.0.0.1:$hook/hook" --data "$work/data" 2>/dev/null)
  tenants="$tenants${tenants:+,}bench$i"
  keys="$keys${keys:+,}$key"
done
"$fw" serve --data "$work/data" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
dotnet "$work/load/Forgewatch.ServeLoad.dll" latency "http://127.0.0.1:$port/" "$tenants" "$keys" "$hook" "$rate" "$seconds" "$attack_ms"
echo "server peak RSS $(( $(awk '/VmHWM/ {print $2}' "/proc/$server/status") / 1024 )) MiB"
