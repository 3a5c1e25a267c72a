#!/usr/bin/env bash
# Side-by-side speed of Baimo and another engine's llama-bench on the same model files.
#
#   bench/compare.sh --llama-bench /path/to/llama-bench [--shape tinyllama-1.1b] [--types "Q4_0 Q8_0 Q4_K_M F16"]
#                    [--threads "1 2"] [-p 64] [-n 32] [-r 3]
#
# The models are Baimo's deterministic synthetic ones (created and cached on first use by `baimo bench`),
# so both engines read byte-identical files. Prints one markdown table with both figures and their ratio,
# plus Baimo's peak resident memory per run. The other engine is not part of this repository: build it
# yourself and pass the path of its llama-bench.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
other="" shape="tinyllama-1.1b" types="Q4_0 Q8_0 Q4_K_M F16" threads="1 2" p=64 n=32 r=3
while [ $# -gt 0 ]; do
  case "$1" in
    --llama-bench) other="$2"; shift 2 ;;
    --shape) shape="$2"; shift 2 ;;
    --types) types="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    -p) p="$2"; shift 2 ;;
    -n) n="$2"; shift 2 ;;
    -r) r="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cache="${BAIMO_CACHE:-$HOME/.cache/baimo}/synthetic"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
tlist="$(echo "$threads" | tr ' ' ',')"

echo "| type | threads | test | Baimo t/s | other t/s | ratio | Baimo peak RSS MiB |"
echo "|---|---:|---|---:|---:|---:|---:|"
for type in $types; do
  "$root/baimo" bench --synthetic "$shape" --type "$type" -p 1 -n 0 -r 1 >/dev/null 2>&1   # create the file once
  model="$cache/$shape-$(echo "$type" | tr a-z A-Z).gguf"
  for t in $threads; do
    /usr/bin/time -f "%M" -o "$tmp/rss" "$root/baimo" bench -m "$model" -p "$p" -n "$n" -t "$t" -r "$r" --json > "$tmp/baimo.json" 2>/dev/null
    rss=$(( $(cat "$tmp/rss") / 1024 ))
    if [ -n "$other" ]; then "$other" -m "$model" -p "$p" -n "$n" -t "$t" -r "$r" -o json > "$tmp/other.json" 2>/dev/null; else echo "[]" > "$tmp/other.json"; fi
    python3 - "$tmp/baimo.json" "$tmp/other.json" "$type" "$t" "$rss" <<'PY'
import json, sys
ours, theirs, typ, t, rss = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3], sys.argv[4], sys.argv[5]
def key(x): return ("pp%d" % x["n_prompt"]) if x["n_prompt"] > 0 else ("tg%d" % x["n_gen"])
other = {key(x): x["avg_ts"] for x in theirs}
for x in ours:
    k = key(x); o = other.get(k)
    ratio = "%.2f" % (x["avg_ts"] / o) if o else "-"
    print("| %s | %s | %s | %.2f ± %.2f | %s | %s | %s |" % (typ, t, k, x["avg_ts"], x["stddev_ts"], "%.2f" % o if o else "-", ratio, rss))
PY
  done
done
