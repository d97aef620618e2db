#!/usr/bin/env bash
# Prints a table of wall time and peak memory for inkbind, the floor (read + parse +
# deflate) and pandoc (when installed) on the article and on synthetic books of 10k, 100k,
# 1M and 5M words. Usage: benches/bench.sh [--quick]   (--quick skips 5M words)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=${BENCH_DIR:-$repo/target/bench}
mkdir -p "$work"
rm -f "$work"/time-*

cargo build --release --quiet --bin inkbind --example corpus --example floor
inkbind=$repo/target/release/inkbind
corpus=$repo/target/release/examples/corpus
floor=$repo/target/release/examples/floor

pandoc=""
if python3 -c 'import pypandoc' 2>/dev/null; then
  pandoc=$(python3 -c 'import pypandoc; print(pypandoc.get_pandoc_path())')
elif command -v pandoc >/dev/null; then
  pandoc=$(command -v pandoc)
fi

sizes=("10000 1" "100000 20" "1000000 200" "5000000 500")
[ "${1:-}" = "--quick" ] && sizes=("10000 1" "100000 20" "1000000 200")

# Best of N runs of a command run in DIR: "seconds peak_MiB" (wall time to the
# millisecond, peak resident memory). Usage: measure N DIR COMMAND...  (no shell in between:
# a shell's own start-up would be counted against the article).
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
runs, cwd, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
best = None
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    dt = time.perf_counter() - t
    best = dt if best is None else min(best, dt)
# ru_maxrss of children is the largest single child seen, in KiB on Linux.
print(f"{best:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}")
PY
}

printf '\nmachine: %s, %s cores, %s\n' "$(uname -m)" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
printf 'load before: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$pandoc" ] && printf 'pandoc: %s\n' "$("$pandoc" --version | head -n 1)"
printf '\n| input | words | inkbind s | inkbind MB | floor s | vs floor | pandoc s | pandoc MB | pandoc/inkbind |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'

row() {
  local name=$1 dir=$2 words=$3
  local ink flr pdc
  ink=$(measure 5 "$dir" "$inkbind" build -o "$work/out.epub")
  flr=$(measure 5 "$dir" "$floor" "$dir/manuscript")
  local ink_s=${ink% *} ink_mb=${ink#* } flr_s=${flr% *}
  local p_s="-" p_mb="-" ratio="-"
  if [ -n "$pandoc" ]; then
    local files=("$dir"/manuscript/*.md)
    # pandoc takes minutes on the large books: one run there, best of three below.
    local runs=3
    [ "$words" -gt 100000 ] && runs=1
    pdc=$(measure "$runs" "$dir/manuscript" "$pandoc" -f markdown -t epub3 -o "$work/pandoc.epub" "${files[@]}")
    p_s=${pdc% *}; p_mb=${pdc#* }
    ratio=$(awk -v p="$p_s" -v i="$ink_s" 'BEGIN{ if (i>0) printf "%.0fx", p/i; else print "∞" }')
  fi
  local vs
  vs=$(awk -v i="$ink_s" -v f="$flr_s" 'BEGIN{ if (f>0) printf "%.2f", i/f; else print "-" }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$words" "$ink_s" "$ink_mb" "$flr_s" "$vs" "$p_s" "$p_mb" "$ratio"
  echo "$ink_s" > "$work/time-$words"
}

row article "$repo" "$(cat manuscript/*.md | wc -w)"
for s in "${sizes[@]}"; do
  set -- $s
  dir=$work/corpus-$1
  [ -d "$dir/manuscript" ] || "$corpus" "$1" "$2" "$dir" >/dev/null
  row "synthetic, $2 files" "$dir" "$1"
done
# A programming book: code blocks in six languages after half the paragraphs (about 28%
# of the Markdown is code), highlighted by both tools.
dir=$work/corpus-code-100000
[ -d "$dir/manuscript" ] || "$corpus" 100000 20 "$dir" --code >/dev/null
row "code-heavy, 20 files" "$dir" 100000
printf '\nload after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
if [ -f "$work/time-5000000" ] && [ -f "$work/time-1000000" ]; then
  awk -v a="$(cat "$work/time-5000000")" -v b="$(cat "$work/time-1000000")" \
    'BEGIN{ printf "\ntime(5M)/time(1M) = %.2f\n", a/b }'
fi
