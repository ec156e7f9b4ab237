#!/usr/bin/env bash
# Compares JSON Lines normalizing CPU (the `stages` ratio) between another checkout and this one, in
# ABBA order (base, new, new, base, ...) so that the machine's drift falls on both alike.
#
#   bench/compare.sh BASE_DIR [PAIRS]     # BASE_DIR: a built checkout, e.g. a git worktree; PAIRS default 4
#
# Both checkouts must have the `stages` command measured against the baseline's loop (173b214 or later;
# for older commits copy bench/Forgewatch.Benchmarks/InterleavedStages.cs over). On this machine a
# comparison of two identical builds differed by up to 10% within a pair, and 3-4 plain alternations
# could not tell a 4% change from none: use 4 or more ABBA pairs and read the means.
set -euo pipefail
base=${1:?usage: bench/compare.sh BASE_DIR [PAIRS]}
pairs=${2:-4}
here=$(cd "$(dirname "$0")/.." && pwd)
for dir in "$base" "$here"; do
  dotnet build -c Release "$dir/bench/Forgewatch.Benchmarks" -v quiet -nologo >/dev/null
done

ratio() {
  nice -n -15 dotnet "$1/bench/Forgewatch.Benchmarks/bin/Release/net10.0/Forgewatch.Benchmarks.dll" stages --rounds 3 2>&1 \
    | awk -F'|' '/normalize/ { split($4, a, " "); print a[1] }'
}

b=(); n=()
for _ in $(seq 1 "$pairs"); do
  for side in base new new base; do
    if [ "$side" = base ]; then b+=("$(ratio "$base")"); else n+=("$(ratio "$here")"); fi
  done
done
echo "normalize CPU per byte vs the tokenizer, base: ${b[*]}"
echo "                                         new:  ${n[*]}"
python3 - "${b[*]}" "${n[*]}" <<'PY'
import statistics as s, sys
b = [float(x) for x in sys.argv[1].split()]
n = [float(x) for x in sys.argv[2].split()]
print(f"base mean {s.mean(b):.3f} (sd {s.stdev(b):.3f}); new mean {s.mean(n):.3f} (sd {s.stdev(n):.3f}); new/base {s.mean(n) / s.mean(b):.3f}")
PY
