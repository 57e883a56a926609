#!/usr/bin/env bash
# How good the local damage estimate is (docs/estimate.md): for each model and pruning setting,
# `prune --estimate --estimate-vs-pass asr` gives every unit's r_est (D's input covariances on the
# N calibration images) and the exact pass's r_c (asr, lambda 0.25, on the same N images);
# docs/estimate-stats.py turns them into Pearson / Spearman / MAE per unit and overall.
# Usage: docs/estimate-accuracy.sh [OUT_DIR]  (from the repository root; MODELS="resnet20 samples" to
# choose among resnet20 resnet56 samples; N=256 by default; one PyTorch thread)
set -euo pipefail
out=${1:-target/estimate-accuracy}
shared=${ASR_SHARED_DIR:-../shared}
n=${N:-256}
if [ -n "${JAR:-}" ]; then
  J=(java -Dai.djl.pytorch.num_threads=1 -jar "$JAR")
elif [ -f target/asr-workbench.jar ] && [ -z "${USE_CLASSES:-}" ]; then
  J=(java -Dai.djl.pytorch.num_threads=1 -jar target/asr-workbench.jar)
else
  cp=$(mktemp)
  mvn -q -B -o dependency:build-classpath -Dmdep.outputFile="$cp" >/dev/null
  J=(java -Dai.djl.pytorch.num_threads=1 -cp "target/classes:$(cat "$cp")" org.asrworkbench.Main)
  rm -f "$cp"
fi
mkdir -p "$out"
settings=("global-magnitude 0.5" "global-magnitude 0.8" "global-magnitude 0.9" "filter-l1 0.3" "filter-l1 0.5")
run() { # name, then the model's options
  local name=$1 s kind sp f; shift
  for s in "${settings[@]}"; do
    read -r kind sp <<< "$s"
    f="$out/$name-$kind-$sp.json"
    if [ ! -s "$f" ]; then
      "${J[@]}" prune "$@" --calib-n "$n" --prune "$kind" --sparsity "$sp" --estimate --estimate-vs-pass asr \
          2> "$out/$name-$kind-$sp.log" | tail -1 > "$f.tmp" && mv "$f.tmp" "$f"
    fi
  done
}
fm=sample-models/fashion-mnist/fashion-calib-2000-images-idx3-ubyte.gz
for model in ${MODELS:-resnet20 resnet56 samples}; do
  case $model in
    resnet20|resnet56)
      run "$model" --model "$shared/models/cifar10/$model.safetensors" --norm cifar \
          --calib-data "$shared/data/cifar10-jpeg/calib_pool.bin" ;;
    samples)
      for m in resnet20-w0.5-fashion resnet18-cifar-w0.25-fashion vgg11_bn-cifar-w0.25-fashion mobilenet_v2-cifar-w0.5-fashion; do
        run "$m" --model "sample-models/$m.safetensors" --calib-data "$fm"
      done ;;
  esac
done
/usr/bin/python3 docs/estimate-stats.py "$out"/*.json
