#!/usr/bin/env bash
# The PyTorch cross-check of docs/pytorch-crosscheck.md. Writes, under OUT_DIR, the workbench's logits
# (`eval --logits`, first N images) of every bundled sample model and of repaired exports (`repair --out`:
# pruned, repaired, gain folded into the BatchNorm weight) of the samples and of the shared CIFAR-10
# ResNet-20, and a manifest for docs/pytorch-crosscheck.py; then runs that script when python3 has
# torch, torchvision and safetensors (else run it where they are: it needs only OUT_DIR and the repository).
# Usage: docs/pytorch-crosscheck.sh [OUT_DIR]   (from the repository root after `mvn -q -B package -DskipTests`)
set -euo pipefail
out=${1:-results/pytorch-crosscheck}
shared=${ASR_SHARED_DIR:-../shared}
n=${N:-1000}
J="java ${JAVA_OPTS:-} -jar ${ASR_JAR:-target/asr-workbench.jar}" # ASR_JAR: a copy of the jar, unchanged by rebuilds mid-run
fm=sample-models/fashion-mnist
test=$fm/fashion-test-2000-images-idx3-ubyte.gz
calib=$fm/fashion-calib-2000-images-idx3-ubyte.gz
mkdir -p "$out"
cases=()

add() { # name, model file, images: the workbench's logits of the first N images
  $J eval --model "$2" --data "$3" --limit "$n" --device cpu --logits "$out/$1.csv" > "$out/$1.eval.json"
  cases+=("{\"name\": \"$1\", \"model\": \"$2\", \"data\": \"$3\", \"logits\": \"$out/$1.csv\"}")
}

repaired() { # name, model file, images, calibration images, then the pruning and repair options
  local name=$1 model=$2 data=$3 calibration=$4
  shift 4
  $J repair --model "$model" --data "$data" --calib-data "$calibration" --calib-n 256 --limit 200 --no-dense-eval \
      --device cpu "$@" --out "$out/$name.safetensors" > "$out/$name.repair.json"
  add "$name" "$out/$name.safetensors" "$data"
}

for model in sample-models/*.safetensors; do
  add "$(basename "$model" .safetensors)" "$model" "$test"
done
for model in sample-models/*.safetensors; do
  name=$(basename "$model" -fashion.safetensors)
  repaired "$name-global-magnitude-0.7-asr" "$model" "$test" "$calib" --prune global-magnitude --sparsity 0.7 --method asr
  repaired "$name-filter-l1-0.5-channel-wise" "$model" "$test" "$calib" --prune filter-l1 --sparsity 0.5 --method channel-wise
done
if [[ -d $shared/models/cifar10 ]]; then
  cifar=$out/cifar10-test-first-$n.bin   # the first N records of the JPEG-decoded test batch
  head -c $((n * 3073)) "$shared/data/cifar10-jpeg/test_batch.bin" > "$cifar"
  repaired resnet20-cifar10-global-magnitude-0.9-asr "$(ls "$shared"/models/cifar10/resnet20-*.th)" "$cifar" \
      "$shared/data/cifar10-jpeg/calib_pool.bin" --norm cifar --prune global-magnitude --sparsity 0.9 --method asr
fi

printf '%s\n' "${cases[@]}" | jq -s '{cases: .}' > "$out/manifest.json"
if python3 -c 'import torch, torchvision, safetensors' 2>/dev/null; then
  python3 docs/pytorch-crosscheck.py "$out/manifest.json" | tee "$out/table.md"
else
  echo "manifest in $out/manifest.json; run: python3 docs/pytorch-crosscheck.py $out/manifest.json (needs torch, torchvision, safetensors)"
fi
