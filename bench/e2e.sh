#!/usr/bin/env bash
# End to end: the real command, `forgewatch scan DIR --out OUT` (read, every detection, incidents, exposure,
# all output files), against two baselines over the same JSON Lines bytes, interleaved round by round:
#   - a bare System.Text.Json tokenizer pass (Utf8JsonReader over every token, `Forgewatch.Benchmarks tokenize`),
#     target: forgewatch at least 0.5x its speed;
#   - jq selecting the records of one AppId, target: forgewatch at least 10x faster.
# Each measurement is a fresh process (start-up included for all three). Peak resident memory of each scan
# is recorded too (target: 1 million records over 2,000 mailboxes below 1.5 GB).
#
#   bench/e2e.sh [--mailboxes 540] [--days 30] [--mail-per-day LO HI] [--rounds 5] [--jq-rounds 2] [--data DIR]
#
# The memory target's data: --mailboxes 2000 --days 30 --mail-per-day 16 24 (about 1.07 million records).
#
# Data: a realistic tenant (sign-ins that create the sessions mail access carries, working hours, delegates,
# a Storm-0558-style intrusion on the last nights) from bench/tenant/generate.py, as plain JSON Lines,
# seeded, reused when already there.
set -euo pipefail

cd "$(dirname "$0")/.."
mailboxes=540
days=30
density=""
rounds=5
jq_rounds=2
data=/tmp/forgewatch-bench
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mailboxes) mailboxes="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --mail-per-day) density="$2 $3"; shift 3 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --jq-rounds) jq_rounds="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "usage: $0 [--mailboxes N] [--days D] [--mail-per-day LO HI] [--rounds R] [--jq-rounds R] [--data DIR]" >&2; exit 2 ;;
  esac
done

need() { # command package
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "Installing $2 ..." >&2
    apt-get update -qq && apt-get install -y -qq "$2" >/dev/null
  fi
}
need jq jq
[[ -x /usr/bin/time ]] || need /usr/bin/time time

# forgewatch as it is installed (README, Install): published, its code precompiled (ReadyToRun).
echo "Publishing forgewatch and building the benchmarks (Release) ..." >&2
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
dotnet publish src/Forgewatch.Cli -c Release -r "$rid" --self-contained false -o "$data/forgewatch-published" -v q -nologo >/dev/null
dotnet build -c Release bench/Forgewatch.Benchmarks -v q -nologo >/dev/null
forgewatch="$data/forgewatch-published/forgewatch"
tokenizer=(dotnet bench/Forgewatch.Benchmarks/bin/Release/net10.0/Forgewatch.Benchmarks.dll tokenize)

tenant="$data/tenant-${mailboxes}mb-${days}d${density:+-${density// /-}}"
if [[ ! -f "$tenant/.complete" ]]; then
  echo "Generating $mailboxes mailboxes over $days days into $tenant ..." >&2
  rm -rf "$tenant"
  # shellcheck disable=SC2086 # density is two numbers or nothing
  python3 bench/tenant/generate.py --mailboxes "$mailboxes" --days "$days" ${density:+--mail-per-day $density} --no-gzip --out "$tenant" >&2
  touch "$tenant/.complete"
fi
files=("$tenant"/*.jsonl)
bytes=$(cat "${files[@]}" | wc -c)
records=$(cat "${files[@]}" | wc -l)
app=4b0964e4-58f1-47f4-a552-e2e1fc56dcd7
echo "Data: ${#files[@]} files, $records records, $((bytes / 1000000)) MB" >&2

seconds() { awk -F': ' '/Elapsed \(wall clock\)/ {split($2, t, ":"); s = 0; for (i = 1; i <= length(t); i++) s = s * 60 + t[i]; print s}' "$1"; }
ratios_tok=() ratios_jq=() scans=() toks=() jqs=() rss=()
for ((r = 1; r <= rounds; r++)); do
  log=$(mktemp)
  /usr/bin/time -v "${tokenizer[@]}" "${files[@]}" >/dev/null 2>"$log"
  tok=$(seconds "$log")
  out=$(mktemp -d /tmp/forgewatch-e2e-out.XXXXXX)
  /usr/bin/time -v "$forgewatch" scan "$tenant" --out "$out" >"$out/stdout.txt" 2>"$log"
  scan=$(seconds "$log")
  peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log")
  incidents=$(wc -l <"$out/incidents.jsonl")
  rm -rf "$out"
  toks+=("$tok"); scans+=("$scan"); rss+=("$peak")
  ratios_tok+=("$(awk -v t="$tok" -v s="$scan" 'BEGIN {printf "%.2f", t / s}')")
  line="round $r: tokenizer ${tok} s, forgewatch ${scan} s (peak ${peak} MiB, ${incidents} incidents)"
  if ((r <= jq_rounds)); then
    /usr/bin/time -v jq -c --arg app "$app" 'select(.AppId == $app)' "${files[@]}" >/dev/null 2>"$log"
    jqt=$(seconds "$log")
    jqs+=("$jqt")
    ratios_jq+=("$(awk -v j="$jqt" -v s="$scan" 'BEGIN {printf "%.1f", j / s}')")
    line="$line, jq ${jqt} s"
  fi
  rm -f "$log"
  echo "$line"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo
echo "| Data | Records | MB | forgewatch s (median) | tokenizer s | speed vs tokenizer (median of rounds, target >= 0.5) | jq s | speed vs jq (target >= 10) | peak RSS MiB (max) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
echo "| $mailboxes mailboxes, $days days | $records | $((bytes / 1000000)) | $(median "${scans[@]}") | $(median "${toks[@]}") | $(median "${ratios_tok[@]}") | $(median "${jqs[@]:-0}") | $(median "${ratios_jq[@]:-0}") | $(printf '%s\n' "${rss[@]}" | sort -g | tail -1) |"
