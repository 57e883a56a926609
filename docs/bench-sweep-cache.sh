#!/usr/bin/env bash
# Sweep throughput of the reproduction grid on ResNet-20 (docs/reproduce.sh: global-magnitude and
# filter-l1, all five methods, calibration N = 1024, the full test set), one process, one PyTorch
# thread: cells per minute of the jar given (JAR=..., default target/asr-workbench.jar), for
# comparing a build without the dense cache against one with it.
# Usage: JAR=path/to/asr-workbench.jar SEEDS=0 GM=0.9 FL=0.5 docs/bench-sweep-cache.sh
# (defaults: SEEDS=0,1,2 GM=0.5,0.7,0.8,0.9,0.95 FL=0.3,0.5,0.7, the whole grid)
set -euo pipefail
shared=${ASR_SHARED_DIR:-../shared}
jar=${JAR:-target/asr-workbench.jar}
J=(java -Dai.djl.pytorch.num_threads=1 -jar "$jar")
common=(--model "$shared/models/cifar10/resnet20-12fca82f.th" --norm cifar
        --data "$shared/data/cifar10-jpeg/test_batch.bin" --calib-data "$shared/data/cifar10-jpeg/calib_pool.bin"
        --calib-n 1024 --seeds "${SEEDS:-0,1,2}" --methods none,bn-recal,layer-wise,channel-wise,asr --lambdas 0.25)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
t0=$(date +%s.%N)
"${J[@]}" sweep "${common[@]}" --prune global-magnitude --sparsities "${GM:-0.5,0.7,0.8,0.9,0.95}" \
    --out-dir "$work/gm" > "$work/gm.json" 2> "$work/gm.log"
"${J[@]}" sweep "${common[@]}" --prune filter-l1 --sparsities "${FL:-0.3,0.5,0.7}" \
    --out-dir "$work/fl" > "$work/fl.json" 2> "$work/fl.log"
t1=$(date +%s.%N)
cells=$(( $(tail -n +2 "$work/gm/results.csv" | wc -l) + $(tail -n +2 "$work/fl/results.csv" | wc -l) ))
pass=$(tail -q -n +2 "$work/gm/results.csv" "$work/fl/results.csv" | awk -F, '{s += $13} END {print s}')
awk -v c="$cells" -v a="$t0" -v b="$t1" -v p="$pass" -v jar="$jar" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  printf "%s: %d cells in %.1f s, %.2f cells/minute, passes %.1f s in all (load average after: %s)\n",
      jar, c, b - a, c * 60 / (b - a), p, load }'
tail -q -n +2 "$work/gm/results.csv" "$work/fl/results.csv" | cut -d, -f2,3,5,10,13,14
