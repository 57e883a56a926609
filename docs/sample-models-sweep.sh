#!/usr/bin/env bash
# Regenerates docs/sample-models.md's table: each bundled Fashion-MNIST sample model under every
# repair method, global-magnitude and filter-l1 at 0.5/0.7/0.9, on the bundled subsets
# (2000 test images; calibration N = 1024 from the 2000-image training pool, seed 0).
# Usage: docs/sample-models-sweep.sh [OUT_DIR]   (after `mvn -q -B package -DskipTests`)
set -euo pipefail
out=${1:-results/sample-models}
data=sample-models/fashion-mnist
for model in sample-models/*.safetensors; do
  name=$(basename "$model" .safetensors)
  java -jar target/asr-workbench.jar sweep --model "$model" \
      --data "$data/fashion-test-2000-images-idx3-ubyte.gz" --calib-data "$data/fashion-calib-2000-images-idx3-ubyte.gz" \
      --calib-n 1024 --seeds 0 --prune global-magnitude,filter-l1 --sparsities 0.5,0.7,0.9 \
      --methods none,bn-recal,layer-wise,channel-wise,asr --lambdas 0.25 --out-dir "$out/$name"
done

# One markdown table per model (top-1 in %, best repaired value of each line in bold), from the
# sweeps' cells: pasted into docs/sample-models.md.
for dir in "$out"/*/; do
  echo "### $(basename "$dir")"; echo
  java -jar target/asr-workbench.jar sweep table --digits 2 --bold-best \
      --series "none;bn-recal;layer-wise;channel-wise;asr (lambda 0.25)" "$dir"
  echo
done > "$out/tables.md"
cat "$out/tables.md"
