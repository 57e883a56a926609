#!/usr/bin/env bash
# Regenerates docs/sample-models.md's table: each bundled Fashion-MNIST sample model under every
# repair method, global-magnitude 0.5/0.7/0.9 and filter-l1 0.3/0.5, on the bundled subsets
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

# One markdown table per model (top-1 in %, best repaired value of each row in bold), from the
# sweeps' summary.csv files: pasted into docs/sample-models.md.
for summary in "$out"/*/summary.csv; do
  echo "### $(basename "$(dirname "$summary")")"; echo
  awk -F, '
    BEGIN { n = split("none;bn-recal;layer-wise;channel-wise;asr (lambda 0.25)", c, ";")
            printf "| pruning | sparsity |"; for (i = 1; i <= n; i++) printf " `%s` |", c[i]
            printf "\n|---|---|"; for (i = 1; i <= n; i++) printf "---:|"; printf "\n" }
    FNR == 1 { next }
    { gsub(/"/, ""); key = $2 "|" $3; if (!(key in seen)) { seen[key] = 1; order[++k] = key; dense = $9 }
      v[key, $4] = 100 * $6 }
    END { for (j = 1; j <= k; j++) { split(order[j], p, "|"); best = -1
            for (i = 2; i <= n; i++) if ((order[j], c[i]) in v && v[order[j], c[i]] > best) best = v[order[j], c[i]]
            printf "| %s | %s |", p[1], p[2]
            for (i = 1; i <= n; i++) { x = v[order[j], c[i]]; s = sprintf("%.2f", x)
              printf " %s |", (i > 1 && sprintf("%.2f", best) == s) ? "**" s "**" : s }
            printf "\n" }
          printf "\nDense top-1: %.2f%%.\n\n", 100 * dense }' "$summary"
done > "$out/tables.md"
cat "$out/tables.md"
