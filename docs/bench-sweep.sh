#!/usr/bin/env bash
# Sweep throughput on this machine: cells per minute for one process running every cell, and for
# two shards (--shard 0/2 and 1/2) running side by side, on the bundled ResNet-20 (w0.5,
# Fashion-MNIST). Wall-clock times include JVM start, model loading, pruning and the dense and
# unrepaired evaluations, as a Slurm array task pays them.
# Usage: docs/bench-sweep.sh   (from the repository root; uses
# target/asr-workbench.jar when built, else target/classes with Maven's class path)
set -euo pipefail
if [ -f target/asr-workbench.jar ]; then
  J=(java -jar target/asr-workbench.jar)
else
  cp=$(mktemp)
  mvn -q -B -o dependency:build-classpath -Dmdep.outputFile="$cp" >/dev/null
  J=(java -cp "target/classes:$(cat "$cp")" org.asrworkbench.Main)
  rm -f "$cp"
fi
fm=sample-models/fashion-mnist
grid=(--model sample-models/resnet20-w0.5-fashion.safetensors
      --data $fm/fashion-test-2000-images-idx3-ubyte.gz --calib-data $fm/fashion-calib-2000-images-idx3-ubyte.gz
      --calib-n 128 --limit 500 --batch-size 100 --sparsities 0.5,0.7,0.8,0.9
      --methods none,bn-recal,channel-wise,asr --lambdas 0.25 --seeds 0,1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
t0=$(now)
"${J[@]}" sweep "${grid[@]}" --out-dir "$work/one" > "$work/one.json" 2> "$work/one.log"
t1=$(now)
for k in 0 1; do
  ( "${J[@]}" sweep "${grid[@]}" --out-dir "$work/two" --shard $k/2 > "$work/s$k.json" 2> "$work/s$k.log"
    now > "$work/s$k.end" ) &
done
wait
t2=$(now)
e0=$(cat "$work/s0.end")
e1=$(cat "$work/s1.end")
cells=$(tail -1 "$work/one.json" | sed 's/.*"cells":\([0-9]*\).*/\1/')
"${J[@]}" sweep merge "$work/two" > /dev/null 2>&1
cmp -s <(cut -d, -f1-12,15 "$work/one/results.csv") <(cut -d, -f1-12,15 "$work/two/results.csv") \
  && same=yes || same=NO
awk -v c="$cells" -v a="$t0" -v b="$t1" -v d="$t2" -v e0="$e0" -v e1="$e1" -v s="$same" -v cpus="$(nproc)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  printf "machine: %d CPUs, load average %s; grid: %d cells (ResNet-20 w0.5, N 128, 500 test images)\n", cpus, load, c
  printf "%-26s %10s %14s\n", "", "wall s", "cells/minute"
  printf "%-26s %10.1f %14.1f\n", "one process", b - a, c * 60 / (b - a)
  printf "%-26s %10.1f %14.1f   (shard 0 done after %.1f s, shard 1 after %.1f s)\n", "two shards side by side", d - b, c * 60 / (d - b), e0 - b, e1 - b
  printf "merged shards equal the single-process table (timings aside): %s\n", s
}'
