#!/usr/bin/env bash
# Peak resident memory of the real command, `forgewatch scan FILE`, on about 250 MB and 1 GB of
# MailItemsAccessed records, as JSON Lines and (unless --jsonl-only) as Purview CSV and gzip JSON Lines
# too: memory must not grow with the file (target: 1 GB peaks below 300 MB resident).
#
#   bench/memory.sh [--jsonl-only] [--sizes "250 1000"] [--data DIR]
#
# Data is generated (seeded, the same bytes every time) under DIR, default /tmp/forgewatch-bench; it is
# reused when already there. Prints one line per run and a markdown table at the end.
set -euo pipefail

cd "$(dirname "$0")/.."
data=/tmp/forgewatch-bench
sizes="250 1000"
shapes="jsonl csv jsonl.gz"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jsonl-only) shapes="jsonl"; shift ;;
    --sizes) sizes="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "usage: $0 [--jsonl-only] [--sizes \"250 1000\"] [--data DIR]" >&2; exit 2 ;;
  esac
done

if [[ ! -x /usr/bin/time ]]; then
  echo "Installing GNU time (for peak RSS) ..." >&2
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

echo "Building forgewatch and the data generator (Release) ..." >&2
dotnet build -c Release src/Forgewatch.Cli -v q -nologo >/dev/null
dotnet build -c Release bench/Forgewatch.Benchmarks -v q -nologo >/dev/null
forgewatch=src/Forgewatch.Cli/bin/Release/net10.0/forgewatch
generator=(dotnet bench/Forgewatch.Benchmarks/bin/Release/net10.0/Forgewatch.Benchmarks.dll)

mkdir -p "$data"
rows=()
measure() { # label file
  local label="$1" file="$2" out log
  out=$(mktemp -d /tmp/forgewatch-mem-out.XXXXXX)
  log=$(mktemp /tmp/forgewatch-mem-time.XXXXXX)
  local status=0
  /usr/bin/time -v "$forgewatch" scan "$file" --out "$out" >"$out/stdout.txt" 2>"$log" || status=$?
  local rss_kb wall
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  local bytes mb rss_mb
  bytes=$(stat -c %s "$file")
  mb=$(awk -v b="$bytes" 'BEGIN {printf "%.0f", b / 1e6}')
  rss_mb=$(awk -v k="$rss_kb" 'BEGIN {printf "%.0f", k / 1024}')
  printf '%-28s %6s MB on disk  peak RSS %5s MiB  wall %s  exit %s\n' "$label" "$mb" "$rss_mb" "$wall" "$status"
  rows+=("| $label | $mb | $rss_mb | $wall | $status |")
  if [[ $status -ne 0 ]]; then
    sed 's/^/    /' "$log" | tail -5 >&2
  fi
  rm -rf "$out" "$log"
}

# The floor: the runtime and the command with almost no input.
"${generator[@]}" jsonl "$data/mem-1mb.jsonl" --size-mb 1 >/dev/null
measure "jsonl 1 MB (floor)" "$data/mem-1mb.jsonl"

for size in $sizes; do
  if [[ "$shapes" == "jsonl" ]]; then
    file="$data/mem-${size}mb.jsonl"
    [[ -f "$file" ]] || "${generator[@]}" jsonl "$file" --size-mb "$size" >&2
    measure "jsonl ${size} MB" "$file"
  else
    "${generator[@]}" generate --size-mb "$size" --data "$data" >&2
    stem=$(ls "$data"/mailitemsaccessed-v*-"${size}"mb-s*.jsonl | head -1)
    stem="${stem%.jsonl}"
    for shape in $shapes; do
      measure "$shape ${size} MB" "$stem.$shape"
    done
  fi
done

echo
echo "| Input | MB on disk | Peak RSS (MiB) | Wall (m:ss) | Exit |"
echo "|---|---:|---:|---|---|"
printf '%s\n' "${rows[@]}"
