#!/usr/bin/env bash
# Push ingestion speed of the published `forgewatch serve` on loopback: a simulated tenant's records
# (distinct; the simulator's cut records dropped) split into batches of BATCH lines, posted CLIENTS at a time
# by bench/Forgewatch.ServeLoad (push). Prints, from the same run:
#   - the baseline: the log reader alone over the same batch files (parsing only, no HTTP, no storage);
#   - the server: events per second from the first request to the last answer (every batch answered 200
#     after its commit), and how long the detections took to catch up after the last answer;
#   - the ratio server / reader, and the server's peak resident memory (VmHWM);
#   - the CPU time the server and the load generator used (both on the same cores), against the CPU time the
#     wall time of the push offered: how much of the machine each took.
# SQLite in a temporary data folder; with FORGEWATCH_BENCH_POSTGRES set to a connection string, PostgreSQL.
# usage: bench/serve/ingest.sh [MAILBOXES] [DAYS] [BATCH] [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
mailboxes=${1:-1000}
days=${2:-30}
batch=${3:-5000}
clients=${4:-4}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet publish src/Forgewatch.Cli -c Release -r linux-x64 --self-contained false -o "$work/fw" >/dev/null
dotnet build bench/Forgewatch.ServeLoad -c Release -o "$work/load" >/dev/null
dotnet build bench/Forgewatch.Benchmarks -c Release -o "$work/bench" >/dev/null
fw="$work/fw/forgewatch"
"$fw" simulate --out "$work/sim" --mailboxes "$mailboxes" --days "$days" --seed 5 >/dev/null 2>&1
python3 - "$work/sim/logs" "$work/batches" "$batch" <<'PY'
import json, os, sys
src, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out)
lines = []
for name in sorted(os.listdir(src)):
    for line in open(os.path.join(src, name), encoding="utf-8"):
        try:
            json.loads(line)
            lines.append(line)
        except ValueError:
            pass  # the simulator cuts a few records in half on purpose; the server refuses such a batch
for i in range(0, len(lines), size):
    with open(os.path.join(out, f"{i // size:05d}.jsonl"), "w", encoding="utf-8") as f:
        f.writelines(lines[i:i + size])
PY
cat "$work"/batches/*.jsonl > "$work/all.jsonl"
start=$(date +%s.%N)
dotnet "$work/bench/Forgewatch.Benchmarks.dll" read "$work/all.jsonl" >"$work/reader.out"
end=$(date +%s.%N)
records=$(wc -l < "$work/all.jsonl")
reader=$(python3 -c "import sys; print(int(int(sys.argv[3]) / (float(sys.argv[2]) - float(sys.argv[1]))))" "$start" "$end" "$records")
store=()
if [ -n "${FORGEWATCH_BENCH_POSTGRES:-}" ]; then
  store=("Forgewatch__PostgreSQL=$FORGEWATCH_BENCH_POSTGRES")
fi
key=$(env "${store[@]}" "$fw" tenant add bench --admin soc@bench.example --data "$work/data" 2>/dev/null)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env "${store[@]}" "$fw" serve --data "$work/data" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
start_push=$(date +%s.%N)
cpu_before=$(awk '{print $14 + $15}' "/proc/$server/stat")
TIMEFORMAT='%U %S'
load_cpu=$( { time dotnet "$work/load/Forgewatch.ServeLoad.dll" push "http://127.0.0.1:$port/" bench "$key" "$work/batches" "$clients" >"$work/push.out"; } 2>&1 )
push=$(cat "$work/push.out")
pushed=$(date +%s.%N)
cpu_after=$(awk '{print $14 + $15}' "/proc/$server/stat")
until [ "$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^forgewatch_detection_lag_seconds/ {print $2}')" = "0" ]; do sleep 0.1; done
caught=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$pushed" "$(date +%s.%N)")
served=$(echo "$push" | sed -n 's/.*: \([0-9,]*\) events\/s/\1/p' | tr -d ,)
echo "reader alone (baseline): $records records, $reader events/s"
echo "server ($([ ${#store[@]} -gt 0 ] && echo PostgreSQL || echo SQLite)): $push; detections caught up $caught s after the last answer"
python3 -c "import sys; print(f'server / reader: {int(sys.argv[1]) / int(sys.argv[2]):.2f}')" "$served" "$reader"
echo "server peak RSS $(( $(awk '/VmHWM/ {print $2}' "/proc/$server/status") / 1024 )) MiB"
python3 - "$cpu_before" "$cpu_after" "$(getconf CLK_TCK)" "$load_cpu" "$start_push" "$pushed" "$(nproc)" <<'PY'
import sys
before, after, tick = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
user, system = (float(x) for x in sys.argv[4].split())
wall = float(sys.argv[6]) - float(sys.argv[5])
cores = int(sys.argv[7])
print(f"CPU while the load generator ran (its start included): server {(after - before) / tick:.1f} s, load generator {user + system:.1f} s, "
      f"of {wall * cores:.1f} s the {cores} cores offered in {wall:.1f} s")
PY
