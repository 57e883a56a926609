#!/usr/bin/env bash
# Regenerates the evidence table of docs/auto.md: `repair --method auto` (default nine candidates,
# calibration N = 1024 seed 0, N_sel = 512) on the shared CIFAR-10 ResNet-20 and ResNet-56 and on
# every bundled sample model, at global-magnitude 0.8 / 0.9 / 0.95 and filter-l1 0.5 (the MobileNetV2 at
# global-magnitude 0.5 / 0.6 and filter-l1 0.1 / 0.3, where it has not collapsed), each candidate
# evaluated on the full test set (CIFAR-10 test_batch.bin; Fashion-MNIST's 10,000 test images).
# A finished run is kept (its JSON line in OUT_DIR) and not repeated, so the script can be resumed.
# Usage: docs/auto-evidence.sh [OUT_DIR]   (from the repository root after `mvn -q -B package -DskipTests`)
# MODELS="resnet20 samples" limits the run (default: resnet20 resnet56 samples); SAMPLES=resnet50 limits the
# samples to those whose file name starts so; JAVA_OPTS is passed to java. The bottleneck ResNet-50 sample
# is run at the settings of its sweep (docs/sample-models.md): global-magnitude 0.7-0.95 and filter-l1 0.3/0.5.
set -euo pipefail
out=${1:-results/auto-evidence}
shared=${ASR_SHARED_DIR:-../shared}
fmnist=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
J="java ${JAVA_OPTS:-} -jar ${ASR_JAR:-target/asr-workbench.jar}" # ASR_JAR: a copy of the jar, unchanged by rebuilds mid-run
settings=("global-magnitude 0.8" "global-magnitude 0.9" "global-magnitude 0.95" "filter-l1 0.5")
mkdir -p "$out"

run() { # name, then the model and data options
  local name=$1; shift
  local these=("${settings[@]}")
  # the MobileNetV2 sample predicts one class from global-magnitude 0.7 and filter-l1 0.5 on
  # (docs/sample-models.md), where every candidate ties at 10%: it is checked where it still works
  [[ $name == mobilenet_v2* ]] && these=("global-magnitude 0.5" "global-magnitude 0.6" "filter-l1 0.1" "filter-l1 0.3")
  [[ $name == resnet50* ]] && these=("global-magnitude 0.7" "${settings[@]:0:3}" "filter-l1 0.3" "filter-l1 0.5")
  for s in "${these[@]}"; do
    read -r kind sparsity <<< "$s"
    local stem="$out/$name-$kind-$sparsity"
    [[ -s "$stem.json" ]] && continue
    $J repair --method auto --prune "$kind" --sparsity "$sparsity" --calib-n 1024 --calib-seed 0 --select-n 512 \
        "$@" --report "$stem.report.json" > "$stem.out"
    tail -n 1 "$stem.out" > "$stem.json.tmp" && mv "$stem.json.tmp" "$stem.json"
  done
}

models=${MODELS:-resnet20 resnet56 samples}
for model in ${models/samples/}; do
  run "$model" --model "$(ls "$shared"/models/cifar10/$model-*.th)" --norm cifar \
      --data "$shared/data/cifar10-jpeg/test_batch.bin" --calib-data "$shared/data/cifar10-jpeg/calib_pool.bin"
done
[[ $models != *samples* ]] || for model in sample-models/${SAMPLES:-}*.safetensors; do
  run "$(basename "$model" -fashion.safetensors)" --model "$model" --data "$fmnist"
done

# The markdown table: one row per run.
{
  echo "| model | pruning | chosen | chosen top-1 % | best candidate | best top-1 % | asr 0.25 top-1 % | regret (points) | pruned top-1 % | dense top-1 % |"
  echo "|---|---|---|---:|---|---:|---:|---:|---:|---:|"
  for f in "$out"/*.json; do
    [[ $f == *.report.json ]] && continue
    jq -r --arg name "$(basename "$f" .json)" '
      def lbl: if .method == "asr" then "asr \(.lambda)" else .method end;
      def one: (. * 10 | round) as $t | "\($t / 10 | floor).\($t % 10)";
      def pct: if . == null then "–" else (. * 100 | one) end;
      .chosen as $c
      | ([.candidates[] | .top1 // empty] | max) as $max
      # the best candidate; among equals, the chosen one, else the first
      | ([.candidates[] | select(.top1 == $max)] | (map(select(.method == $c.method and .lambda == $c.lambda)) + .)[0]) as $best
      | ([.candidates[] | select(.method == "asr" and .lambda == 0.25)][0]) as $asr
      | "| \($name | sub("-(global-magnitude|filter-l1)-.*$"; "")) | \(.prune) \(.sparsity) | \(.chosen | lbl) | \(.top1 | pct) "
        + "| \($best | lbl) | \($best.top1 | pct) | \($asr.top1 | pct) | \(.regret * 100 | one) "
        + "| \(.top1Pruned | pct) | \(.top1Dense | pct) |"' "$f"
  done
} > "$out/table.md"
cat "$out/table.md"
if command -v python3 > /dev/null; then python3 docs/auto-stats.py "$out"; fi
