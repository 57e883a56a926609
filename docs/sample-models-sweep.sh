#!/usr/bin/env bash
# Regenerates docs/sample-models.md's tables: each bundled Fashion-MNIST sample model under every
# repair method, global-magnitude and filter-l1 at 0.5/0.7/0.9, on the bundled subsets
# (2000 test images; calibration N = 1024 from the 2000-image training pool, seed 0). The MobileNetV2
# collapses beyond global-magnitude 0.5 and filter-l1 0.1, so its table adds global-magnitude 0.6 and
# filter-l1 0.1/0.3.
# The bottleneck ResNet-50 is measured as the paper measures its headline network instead
# (issue 20): global-magnitude 0.7/0.8/0.9/0.95 and filter-l1 0.3/0.5, every method with the
# published baselines bias-corr and stat-corr, calibration N = 1024 from Fashion-MNIST's 60,000
# training images with seeds 0, 1, 2, evaluated on its full 10,000-image test split (the Debian
# package's files; `auto` is in docs/auto-evidence.sh).
# Usage: docs/sample-models-sweep.sh [OUT_DIR]   (after `mvn -q -B package -DskipTests`)
# ONLY=resnet50 runs the ResNet-50 sweeps alone; ONLY=subsets the others; JAVA_OPTS is passed to java;
# SHARD=K/N runs one shard of the ResNet-50 sweeps, K from 0 (SHARD=0/2 and SHARD=1/2 side by side on two cores, each
# with JAVA_OPTS=-Dai.djl.pytorch.num_threads=1; then a run without SHARD merges them).
set -euo pipefail
out=${1:-results/sample-models}
data=sample-models/fashion-mnist
fmnist=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
J="java ${JAVA_OPTS:-} -jar ${ASR_JAR:-target/asr-workbench.jar}" # ASR_JAR: a copy of the jar, unchanged by rebuilds mid-run
only=${ONLY:-all}
r50=sample-models/resnet50-cifar-w0.25-fashion.safetensors
sweep() { # model, results directory, pruning kinds, sparsities
  $J sweep --model "$1" \
      --data "$data/fashion-test-2000-images-idx3-ubyte.gz" --calib-data "$data/fashion-calib-2000-images-idx3-ubyte.gz" \
      --calib-n 1024 --seeds 0 --prune "$3" --sparsities "$4" \
      --methods none,bn-recal,layer-wise,channel-wise,asr --lambdas 0.25 --out-dir "$2"
}
full() { # results directory, pruning kind, sparsities: the ResNet-50 on the full splits, three seeds
  $J sweep --model "$r50" --data "$fmnist" --calib-n 1024 --seeds 0,1,2 --prune "$2" --sparsities "$3" \
      --methods none,bn-recal,layer-wise,channel-wise,asr,bias-corr,stat-corr --lambdas 0.25 \
      ${SHARD:+--shard "$SHARD"} --out-dir "$1"
}
if [[ $only != resnet50 ]]; then
  for model in sample-models/*.safetensors; do
    [[ $model == "$r50" ]] && continue
    sweep "$model" "$out/$(basename "$model" .safetensors)" global-magnitude,filter-l1 0.5,0.7,0.9
  done
  mobilenet=sample-models/mobilenet_v2-cifar-w0.5-fashion.safetensors
  sweep "$mobilenet" "$out/extra/mobilenet_v2-cifar-w0.5-fashion-global-magnitude" global-magnitude 0.6
  sweep "$mobilenet" "$out/extra/mobilenet_v2-cifar-w0.5-fashion-filter-l1" filter-l1 0.1,0.3
fi
if [[ $only != subsets && -f $r50 ]]; then
  full "$out/resnet50-full-global-magnitude" global-magnitude 0.7,0.8,0.9,0.95
  full "$out/resnet50-full-filter-l1" filter-l1 0.3,0.5
  [[ -n ${SHARD:-} ]] && exit 0   # the shards' cells are in place; a run without SHARD merges
  for d in "$out"/resnet50-full-*; do $J sweep merge "$d" > /dev/null; done
fi

# One markdown table per model (top-1 in %, best repaired value of each line in bold), from the
# sweeps' cells: pasted into docs/sample-models.md.
{
  for model in sample-models/*.safetensors; do
    name=$(basename "$model" .safetensors)
    [[ -d $out/$name ]] || continue
    echo "### $name"; echo
    $J sweep table --digits 2 --bold-best \
        --series "none;bn-recal;layer-wise;channel-wise;asr (lambda 0.25)" "$out/$name" $(ls -d "$out/extra/$name"-* 2>/dev/null)
    echo
  done
  if [[ -f $out/resnet50-full-global-magnitude/grid.json ]]; then
    echo "### resnet50-cifar-w0.25-fashion (full test split, seeds 0-2, mean ± std)"; echo
    $J sweep table --std --digits 2 --bold-best \
        --series "none;bn-recal;layer-wise;channel-wise;asr (lambda 0.25);bias-corr;stat-corr" \
        "$out"/resnet50-full-global-magnitude $(ls -d "$out"/resnet50-full-filter-l1 2>/dev/null)
    echo
  fi
} > "$out/tables.md"
cat "$out/tables.md"
