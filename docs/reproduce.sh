#!/usr/bin/env bash
# Regenerates the reproduction table of docs/reproduction.md on the shared CIFAR-10 data:
# ResNet-20 and ResNet-56, global-magnitude 0.5-0.95 and filter-l1 0.3-0.7, all five methods,
# calibration N = 1024, seeds 0-2, the full test set; then the lambda ablation at 0.9.
# Usage: docs/reproduce.sh [OUT_DIR]   (run from the repository root after `mvn -q -B package -DskipTests`)
# MODELS="resnet56" runs one model (two such runs side by side, each with
# JAVA_OPTS=-Dai.djl.pytorch.num_threads=1, use a 2-core machine best); a rerun resumes.
set -euo pipefail
out=${1:-results/reproduction}
shared=${ASR_SHARED_DIR:-../shared}
J="java ${JAVA_OPTS:-} -jar target/asr-workbench.jar"
common=(--norm cifar --data "$shared/data/cifar10-jpeg/test_batch.bin"
        --calib-data "$shared/data/cifar10-jpeg/calib_pool.bin" --calib-n 1024 --seeds 0,1,2)
for model in ${MODELS:-resnet20 resnet56}; do
  ckpt=$(ls "$shared"/models/cifar10/$model-*.th)
  $J sweep --model "$ckpt" "${common[@]}" --prune global-magnitude --sparsities 0.5,0.7,0.8,0.9,0.95 \
      --methods none,bn-recal,layer-wise,channel-wise,asr --lambdas 0.25 --out-dir "$out/$model-global-magnitude"
  $J sweep --model "$ckpt" "${common[@]}" --prune filter-l1 --sparsities 0.3,0.5,0.7 \
      --methods none,bn-recal,layer-wise,channel-wise,asr --lambdas 0.25 --out-dir "$out/$model-filter-l1"
  $J sweep --model "$ckpt" "${common[@]}" --prune global-magnitude --sparsities 0.9 \
      --methods asr --lambdas 0,0.25,0.5,1,2,4,16 --out-dir "$out/$model-lambda-ablation"
done

# The markdown tables of docs/reproduction.md, from the sweeps' summary.csv files (top-1 in %,
# mean ± sample std over the three seeds).
table() { # columns (series names, in order), then summary files
  local cols=$1 f files=(); shift
  for f in "$@"; do if [[ -s $f ]]; then files+=("$f"); fi; done
  awk -F, -v cols="$cols" '
    BEGIN { n = split(cols, c, ";"); printf "| model | pruning | dense |"; for (i = 1; i <= n; i++) printf " %s |", c[i];
            printf "\n|---|---|---:|"; for (i = 1; i <= n; i++) printf "---:|"; printf "\n" }
    FNR == 1 { next }
    { gsub(/"/, ""); key = $1 "|" $2 " " $3; if (!(key in seen)) { seen[key] = 1; order[++k] = key; dense[key] = $9 }
      v[key, $4] = sprintf("%.1f ± %.1f", 100 * $6, 100 * $7) }
    END { for (j = 1; j <= k; j++) { split(order[j], p, "|"); m = p[1]; sub(/-[0-9a-f]+\.th$/, "", m)
            printf "| %s | %s | %.1f |", m, p[2], 100 * dense[order[j]]
            for (i = 1; i <= n; i++) printf " %s |", ((order[j], c[i]) in v) ? v[order[j], c[i]] : "–"; printf "\n" } }' "${files[@]}" /dev/null
}
{
  echo "### Methods"; echo
  table "none;bn-recal;layer-wise;channel-wise;asr (lambda 0.25)" \
      "$out"/resnet20-global-magnitude/summary.csv "$out"/resnet20-filter-l1/summary.csv \
      "$out"/resnet56-global-magnitude/summary.csv "$out"/resnet56-filter-l1/summary.csv
  echo; echo "### lambda ablation (asr, global-magnitude 0.9)"; echo
  table "asr (lambda 0);asr (lambda 0.25);asr (lambda 0.5);asr (lambda 1);asr (lambda 2);asr (lambda 4);asr (lambda 16)" \
      "$out"/resnet20-lambda-ablation/summary.csv "$out"/resnet56-lambda-ablation/summary.csv
} > "$out/tables.md"
cat "$out/tables.md"
