#!/usr/bin/env bash
# token scan on two cores against the same scan pinned to one core (taskset -c 0), interleaved, over the
# same log of distinct RS256 tokens. Prints each run's time and rate, then the ratio of the totals and the
# median (min-max) of the per-pair ratios: the host's speed drifts from minute to minute, so only the pairs
# say much.
# usage: bench/tokens/scan-scaling.sh [TOKENS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
tokens=${1:-60000}
runs=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/tokens/generate.py --out "$work/data" --tokens "$tokens"
dotnet publish src/Forgewatch.Cli -c Release -r linux-x64 --self-contained false -o "$work/fw" >/dev/null
run() { # $1 label, rest: command prefix
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" "$work/fw/forgewatch" token scan --jwks "$work/data/keys.jwks.json" --audience api://mail --out "$work/out" "$work/data/tokens.log" >/dev/null || true
  end=$(date +%s.%N)
  python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); print(f'$label {t:.2f} s {int(sys.argv[3])/t:,.0f} tokens/s')" "$start" "$end" "$tokens" | tee -a "$work/times"
  test "$(grep -c '"verdict":"valid"' "$work/out/verdicts.jsonl")" -eq "$tokens" || { echo "not every token was valid" >&2; exit 1; }
}
for i in $(seq "$runs"); do
  run "one-core" taskset -c 0
  run "two-cores" env
done
python3 - "$work/times" <<'PY'
import statistics, sys
one = [float(l.split()[1]) for l in open(sys.argv[1]) if l.startswith("one-core")]
two = [float(l.split()[1]) for l in open(sys.argv[1]) if l.startswith("two-cores")]
pairs = [a / b for a, b in zip(one, two)]
print(f"two cores over one: {sum(one) / sum(two):.2f} on the totals; per pair median {statistics.median(pairs):.2f} ({min(pairs):.2f}-{max(pairs):.2f}); target 1.8")
PY
