#!/usr/bin/env bash
# Regenerates the results section of docs/onnx.md: the shared CIFAR-10 ResNet-20 and ResNet-56 and
# the four bundled Fashion-MNIST samples, each exported to ONNX both ways (BatchNorm kept, and
# folded into the convs, as tools/onnx-fixtures.py --set full writes them into target/onnx-fixtures),
# under every repair method at layer-uniform 0.8/0.9 and global-magnitude 0.7/0.9. A setting that
# removes every weight of some layer (global-magnitude on a folded export, whose conv weights carry
# their BN's scale) is not swept: it is listed with the layers it empties, since no repair brings
# them back. Then the tables: dense top-1 of the two exports side by side (they must agree), the
# emptied layers, and one table per network (top-1 in %, the best repaired value of each line in
# bold).
# Usage: docs/onnx-results.sh [OUT_DIR]   (from the repository root, `../shared` beside it, after
#        `mvn -q -B package -DskipTests`; generates the fixtures first when they are missing)
# Environment: LIMIT=K evaluates the first K images only (default: the whole evaluation split),
# N=calibration images (default 1024), SEEDS (default 0), NETS="shared-resnet20 ..." a subset,
# JAVA_OPTS (e.g. -Dai.djl.pytorch.num_threads=1), TABLES_ONLY=1 prints the tables from what OUT_DIR
# holds (its sweeps and emptied.tsv, e.g. a copy of docs/results/onnx) without running anything. A rerun resumes every sweep. The full run is about
# 4.5 hours of compute on a busy 2-core machine with one PyTorch thread (ResNet-56 2.5 of them),
# measured before evaluations used the folded evaluation plan (about 1.6x faster): nearer 3.5 now;
# LIMIT=500 N=256 took 45 minutes there.
set -euo pipefail
out=${1:-results/onnx}
shared=${ASR_SHARED_DIR:-../shared}
fixtures=${FIXTURES:-target/onnx-fixtures}
J="java ${JAVA_OPTS:-} -jar ${ASR_JAR:-target/asr-workbench.jar}" # ASR_JAR: a copy of the jar, unchanged by rebuilds mid-run
N=${N:-1024}
SEEDS=${SEEDS:-0}
METHODS=${METHODS:-none,bn-recal,layer-wise,channel-wise,asr,bias-corr,stat-corr}
SERIES="none;bn-recal;layer-wise;channel-wise;asr (lambda 0.25);bias-corr;stat-corr"
NETS=${NETS:-shared-resnet20 shared-resnet56 resnet20-w0.5-fashion resnet18-cifar-w0.25-fashion vgg11_bn-cifar-w0.25-fashion mobilenet_v2-cifar-w0.5-fashion}
limit=()
if [[ -n ${LIMIT:-} ]]; then limit=(--limit "$LIMIT"); fi
mkdir -p "$out"
if [[ ! -f $fixtures/shared-resnet56-folded.onnx || ! -f $fixtures/resnet20-w0.5-fashion-folded.onnx ]]; then
  /usr/bin/python3 tools/onnx-fixtures.py --set full
fi
fashion=sample-models/fashion-mnist
data_for() { # the evaluation and calibration options of a network
  case $1 in
    shared-*) echo "--data $shared/data/cifar10-jpeg/test_batch.bin --calib-data $shared/data/cifar10-jpeg/calib_pool.bin";;
    *) echo "--data $fashion/fashion-test-2000-images-idx3-ubyte.gz --calib-data $fashion/fashion-calib-2000-images-idx3-ubyte.gz";;
  esac
}
settings=("layer-uniform 0.8,0.9" "global-magnitude 0.7,0.9")
if [[ -z ${TABLES_ONLY:-} ]]; then
: > "$out/emptied.tsv"
for net in $NETS; do
  read -r -a data <<< "$(data_for "$net")"
  for export in bn folded; do
    model=$fixtures/$net-$export.onnx
    for s in "${settings[@]}"; do
      read -r kind sparsities <<< "$s"
      keep=()
      for sp in ${sparsities//,/ }; do
        emptied=$($J prune --model "$model" --prune "$kind" --sparsity "$sp" 2>/dev/null | tail -1 \
            | python3 -c 'import json, sys; print(" ".join(json.load(sys.stdin)["emptiedLayers"]))')
        printf '%s\t%s\t%s\t%s\n' "$net-$export" "$kind" "$sp" "$emptied" >> "$out/emptied.tsv"
        if [[ -z $emptied ]]; then keep+=("$sp"); fi
      done
      if (( ${#keep[@]} )); then
        $J sweep --model "$model" "${data[@]}" "${limit[@]}" --calib-n "$N" --seeds "$SEEDS" --prune "$kind" \
            --sparsities "$(IFS=,; echo "${keep[*]}")" --methods "$METHODS" --lambdas 0.25 --out-dir "$out/$net-$export-$kind"
      fi
    done
  done
done
fi

# The tables (pasted into docs/onnx.md's results section).
{
  echo "### Dense top-1 of the two exports"; echo
  echo "| network | BN kept | BN folded | agree |"; echo "|---|---:|---:|---|"
  for net in $NETS; do
    python3 - "$out" "$net" <<'EOF'
import glob, json, sys
out, net = sys.argv[1], sys.argv[2]
dense = {}
for export in ("bn", "folded"):
    for f in glob.glob(f"{out}/{net}-{export}-*/cells/*.json"):  # the cells alone, as docs/results keeps them
        cell = json.load(open(f))
        if cell.get("status") == "done":
            dense[export] = cell["row"]["top1Dense"]
bn, folded = dense.get("bn"), dense.get("folded")
fmt = lambda v: "—" if v is None else f"{100 * v:.2f}"
agree = "—" if bn is None or folded is None else ("yes" if bn == folded else f"**no** ({100 * (folded - bn):+.2f})")
print(f"| {net} | {fmt(bn)} | {fmt(folded)} | {agree} |")
EOF
  done
  echo; echo "### Settings not swept: they remove every weight of some layer"; echo
  echo "| export | pruning | sparsity | emptied layers |"; echo "|---|---|---:|---|"
  awk -F'\t' '$4 != "" { n = split($4, l, " "); printf "| %s | %s | %s | %d: %s |\n", $1, $2, $3, n, $4 }' "$out/emptied.tsv"
  for net in $NETS; do
    dirs=()
    for d in "$out/$net"-bn-* "$out/$net"-folded-*; do if [[ -f $d/grid.json ]]; then dirs+=("$d"); fi; done
    if (( ${#dirs[@]} )); then
      echo; echo "### $net"; echo
      $J sweep table --digits 1 --bold-best --series "$SERIES" "${dirs[@]}"
    fi
  done
} > "$out/tables.md"
cat "$out/tables.md"
