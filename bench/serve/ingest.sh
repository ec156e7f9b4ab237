#!/usr/bin/env bash
# Push ingestion speed of the published `forgewatch serve` into SQLite, on loopback: a simulated tenant's
# records (distinct, cut records dropped) split into batches of BATCH lines, posted by CLIENTS curl
# processes at once. Prints events per second over the whole push (from the first request to the last
# answer) and the server's peak resident memory (VmHWM). Every batch must be answered 200.
# usage: bench/serve/ingest.sh [MAILBOXES] [DAYS] [BATCH] [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
mailboxes=${1:-300}
days=${2:-20}
batch=${3:-5000}
clients=${4:-4}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet publish src/Forgewatch.Cli -c Release -r linux-x64 --self-contained false -o "$work/fw" >/dev/null
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
print(len(lines), file=open(os.path.join(out, "..", "count"), "w"))
PY
records=$(cat "$work/count")
key=$("$fw" tenant add bench --admin soc@bench.example --data "$work/data" 2>/dev/null)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$fw" serve --data "$work/data" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
start=$(date +%s.%N)
ls "$work/batches"/*.jsonl | xargs -P "$clients" -I{} curl -s -o /dev/null -w '%{http_code}\n' \
  -H "Authorization: Bearer $key" --data-binary @{} "http://127.0.0.1:$port/api/v1/tenants/bench/events" >"$work/codes"
end=$(date +%s.%N)
test "$(grep -vc '^200$' "$work/codes" || true)" -eq 0 || { echo "some batches were not stored:"; sort "$work/codes" | uniq -c; exit 1; }
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); print(f'{n:,} events in {t:.2f} s: {n/t:,.0f} events/s; server peak RSS {int(sys.argv[4])/1024:,.0f} MiB')" "$start" "$end" "$records" "$hwm"
