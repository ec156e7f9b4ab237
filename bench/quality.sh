#!/usr/bin/env bash
# Detection quality against the simulator's truth, and the simulator's own speed and memory (issue 4):
#   - every playbook over several seeds: recall (attacked mailboxes in an incident of medium severity or
#     above), exposure Jaccard, first-alert record index (targets: >= 0.95, >= 0.99, <= 1 in median);
#   - benign: false incidents of medium severity or above per 1,000 benign mailbox-days on 2,000
#     mailboxes over 30 days (target <= 1);
#   - simulate: records per second (target >= 200,000) and peak memory for 10,000 mailboxes over 30 days
#     (written a day at a time: memory must stay far below the output's size).
# Each run is simulate -> scan -> evaluate with the published build, as README "Install" says.
#
#   bench/quality.sh [--seeds "1 2 3 4 5"] [--mailboxes 200] [--benign-mailboxes 2000] [--big-mailboxes 10000] [--data DIR]
set -euo pipefail

cd "$(dirname "$0")/.."
seeds="1 2 3 4 5"
mailboxes=200
benign=2000
big=10000
data=/tmp/forgewatch-quality
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --mailboxes) mailboxes="$2"; shift 2 ;;
    --benign-mailboxes) benign="$2"; shift 2 ;;
    --big-mailboxes) big="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "usage: $0 [--seeds \"1 2 3\"] [--mailboxes N] [--benign-mailboxes N] [--big-mailboxes N] [--data DIR]" >&2; exit 2 ;;
  esac
done
[[ -x /usr/bin/time ]] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

echo "Publishing forgewatch (Release, ReadyToRun) ..." >&2
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
dotnet publish src/Forgewatch.Cli -c Release -r "$rid" --self-contained false -o "$data/forgewatch-published" -v q -nologo >/dev/null
fw="$data/forgewatch-published/forgewatch"
attacks=(forged-token token-replay bec-inbox-rule consent-phish app-impersonation)

run() { # name mailboxes seed
  local dir="$data/$1"
  rm -rf "$dir"
  /usr/bin/time -v "$fw" simulate --out "$dir/sim" --mailboxes "$2" --days 30 --seed "$3" --attack "${attacks[@]}" >"$dir.simulate.txt" 2>"$dir.simulate.time"
  "$fw" scan "$dir/sim/logs" --out "$dir/scan" >/dev/null 2>&1
  "$fw" evaluate --truth "$dir/sim/truth.json" --results "$dir/scan" >/dev/null
  echo "$dir/scan/evaluation.json"
}

evaluations=()
for seed in $seeds; do
  echo "Seed $seed: $mailboxes mailboxes, 30 days, every playbook ..." >&2
  evaluations+=("$(run "seed-$seed" "$mailboxes" "$seed")")
done
echo "Benign: $benign mailboxes, 30 days, seed 1 ..." >&2
benign_eval=$(run "benign-$benign" "$benign" 1)

echo "Simulator alone: $big mailboxes over 30 days ..." >&2
rm -rf "$data/big"
/usr/bin/time -v "$fw" simulate --out "$data/big" --mailboxes "$big" --days 30 --seed 1 --attack "${attacks[@]}" >"$data/big.simulate.txt" 2>"$data/big.simulate.time"
big_bytes=$(du -sb "$data/big/logs" | cut -f1)
rm -rf "$data/big/logs"

python3 - "$benign_eval" "$data/benign-$benign.simulate.txt" "$data/big.simulate.txt" "$data/big.simulate.time" "$big_bytes" "${evaluations[@]}" <<'PY'
import json, re, statistics, sys
benign_path, benign_sim, big_sim, big_time, big_bytes, *runs = sys.argv[1:]
per = {}
for path in runs:
    for name, p in json.load(open(path))["playbooks"].items():
        per.setdefault(name, []).append(p)
print("| playbook | seeds | recall (min) | exposure Jaccard (min) | first-alert index (median of medians) | attacks not alerted |")
print("|---|---:|---:|---:|---:|---:|")
for name, ps in sorted(per.items()):
    medians = [p["first_alert_record_index_median"] for p in ps if p["first_alert_record_index_median"] is not None]
    print(f"| {name} | {len(ps)} | {min(p['recall'] for p in ps):.3f} | {min(p['exposure_jaccard'] for p in ps):.3f} | "
          f"{statistics.median(medians) if medians else 'none'} | {sum(p.get('undetected_attacks', 0) for p in ps)} |")
b = json.load(open(benign_path))
print()
print(f"Benign ({benign_path}): {b['benign']['false_incidents']} false incidents of medium severity or above over "
      f"{b['benign']['benign_mailbox_days']} benign mailbox-days = {b['benign']['false_incidents_per_1000_mailbox_days']:.3f} per 1,000 (target <= 1); "
      + ", ".join(f"{k} recall {v['recall']:.3f} Jaccard {v['exposure_jaccard']:.3f}" for k, v in sorted(b["playbooks"].items())))
rate = lambda text: re.search(r"\(([\d,]+) records/s\)", open(text).read()).group(1)
peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(big_time).read()).group(1)) // 1024
print(f"Simulator: {rate(benign_sim)} records/s at {benign_sim.split('-')[-1].split('.')[0]} mailboxes; "
      f"{rate(big_sim)} records/s at the big run, which wrote {int(big_bytes) / 1e9:.2f} GB with a peak of {peak} MiB resident (target >= 200,000 records/s).")
PY
