#!/usr/bin/env bash
# Regenerates docs/sample-models.md's tables: each bundled Fashion-MNIST sample model under every
# repair method, global-magnitude and filter-l1 at 0.5/0.7/0.9, on the bundled subsets
# (2000 test images; calibration N = 1024 from the 2000-image training pool, seed 0). The MobileNetV2
# collapses beyond global-magnitude 0.5 and filter-l1 0.1, so its table adds global-magnitude 0.6 and
# filter-l1 0.1/0.3.
# Usage: docs/sample-models-sweep.sh [OUT_DIR]   (after `mvn -q -B package -DskipTests`)
set -euo pipefail
out=${1:-results/sample-models}
data=sample-models/fashion-mnist
sweep() { # model, results directory, pruning kinds, sparsities
  java -jar target/asr-workbench.jar sweep --model "$1" \
      --data "$data/fashion-test-2000-images-idx3-ubyte.gz" --calib-data "$data/fashion-calib-2000-images-idx3-ubyte.gz" \
      --calib-n 1024 --seeds 0 --prune "$3" --sparsities "$4" \
      --methods none,bn-recal,layer-wise,channel-wise,asr --lambdas 0.25 --out-dir "$2"
}
for model in sample-models/*.safetensors; do
  sweep "$model" "$out/$(basename "$model" .safetensors)" global-magnitude,filter-l1 0.5,0.7,0.9
done
mobilenet=sample-models/mobilenet_v2-cifar-w0.5-fashion.safetensors
sweep "$mobilenet" "$out/extra/mobilenet_v2-cifar-w0.5-fashion-global-magnitude" global-magnitude 0.6
sweep "$mobilenet" "$out/extra/mobilenet_v2-cifar-w0.5-fashion-filter-l1" filter-l1 0.1,0.3

# One markdown table per model (top-1 in %, best repaired value of each line in bold), from the
# sweeps' cells: pasted into docs/sample-models.md.
for model in sample-models/*.safetensors; do
  name=$(basename "$model" .safetensors)
  echo "### $name"; echo
  java -jar target/asr-workbench.jar sweep table --digits 2 --bold-best \
      --series "none;bn-recal;layer-wise;channel-wise;asr (lambda 0.25)" "$out/$name" $(ls -d "$out/extra/$name"-* 2>/dev/null)
  echo
done > "$out/tables.md"
cat "$out/tables.md"
