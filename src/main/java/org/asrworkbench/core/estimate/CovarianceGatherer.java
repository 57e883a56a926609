package org.asrworkbench.core.estimate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.asrworkbench.core.data.BatchReader;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.eval.DatasetFit;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.stats.SequentialPass;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Gathers D's input covariances of every unit's layer ({@link InputCovariances}) in one
 * batch-major forward pass of D over the first {@code N_est} calibration images: each unit
 * layer's input is tapped, unfolded into its input vectors ({@link LayerInput}), and merged into
 * a per-group mean and centred Gram matrix on the device in float64 (the parallel update of Chan
 * et al., so the result does not depend on the chunking up to float64 rounding).
 *
 * <p>The covariances stay within the memory budget: units are taken in order while their
 * covariances fit in it; a unit whose covariance would exceed what is left gets a note instead.
 */
public final class CovarianceGatherer {
    /** The spec's default {@code N_est}. */
    public static final int DEFAULT_N_EST = 256;
    /** Input-vector values unfolded at once (bounds the working memory of one step to a few tens of MB). */
    private static final long SLICE_VALUES = 1L << 21;

    private CovarianceGatherer() {
    }

    /**
     * Gathers on the model's dense network on {@code device} (an executor of its own, closed after).
     *
     * @param images the calibration images to use (the caller takes the first {@code N_est})
     */
    public static InputCovariances gather(LoadedModel model, Device device, ImageDataset data, int[] images,
                                          SequentialPass.Config config, Progress progress) throws IOException {
        DatasetFit.check(data, model.normalization(), model.graph());
        try (Executor dense = new Executor(model.graph(), model.weights(), device)) {
            return gather(dense, data, images, model.normalization(), config.chunkSize(), config.memoryBudgetBytes(),
                    progress);
        }
    }

    /**
     * @param images      the calibration images to use (the caller takes the first {@code N_est})
     * @param chunkSize   images per forward call
     * @param budgetBytes bytes the covariances may take
     */
    public static InputCovariances gather(Executor dense, ImageDataset data, int[] images, Normalization norm,
                                          int chunkSize, long budgetBytes, Progress progress) throws IOException {
        if (images.length == 0) {
            throw new IllegalArgumentException("the local estimate needs at least one calibration image");
        }
        long t0 = System.nanoTime();
        Graph graph = dense.graph();
        Map<String, String> notes = new LinkedHashMap<>();
        Map<String, List<Accumulator>> byInput = new HashMap<>();
        List<Accumulator> all = new ArrayList<>();
        long used = 0;
        try (NDManager accManager = dense.manager().newSubManager()) {
            for (Unit u : graph.units()) {
                if (u.layerNode() == null) {
                    continue; // a BN fed by no single layer: LocalEstimate notes it has no estimate
                }
                Node layer = graph.node(u.layerNode());
                LayerInput li = LayerInput.of(layer.op());
                long bytes = InputCovariance.bytes(li);
                if (used + bytes > budgetBytes) {
                    notes.put(u.name(), String.format(Locale.ROOT, "no local estimate: the input covariance of %s"
                            + " (%d group(s) of %d x %d) needs %.1f MiB, more than the %.1f MiB left of the memory"
                            + " budget", u.name(), li.groups(), li.patch(), li.patch(), bytes / 1048576.0,
                            (budgetBytes - used) / 1048576.0));
                    continue;
                }
                used += bytes;
                Accumulator a = new Accumulator(u.name(), li, accManager);
                all.add(a);
                byInput.computeIfAbsent(layer.inputs().get(0), k -> new ArrayList<>()).add(a);
            }
            String inputId = graph.input().id();
            Set<String> tapped = byInput.keySet();
            int[] done = {0};
            if (!all.isEmpty()) {
                new BatchReader(data, norm, chunkSize).forEach(images, batch -> {
                    try (NDManager m = dense.manager().newSubManager()) {
                        NDArray x = dense.input(m, batch.pixels(), batch.size(), data.channels(), data.height(),
                                data.width());
                        for (Accumulator a : byInput.getOrDefault(inputId, List.of())) {
                            a.add(x);
                        }
                        dense.forward(x, Map.of(), tapped, (id, v) -> byInput.get(id).forEach(a -> a.add(v)))
                                .close();
                    }
                    done[0] += batch.size();
                    progress.update(done[0] / (double) images.length, "input covariances: " + done[0] + " of "
                            + images.length + " images");
                }, progress::isCancelled);
            }
            progress.checkCancelled();
            Map<String, InputCovariance> out = new LinkedHashMap<>();
            for (Accumulator a : all) {
                out.put(a.unit, a.result());
            }
            return new InputCovariances(data.source(), images, out, notes, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** One unit's running per-group mean and centred Gram matrix, on the device in float64. */
    private static final class Accumulator {
        final String unit;
        final LayerInput layer;
        final NDManager manager;
        long count;
        NDArray mean;
        NDArray m2;

        Accumulator(String unit, LayerInput layer, NDManager manager) {
            this.unit = unit;
            this.layer = layer;
            this.manager = manager;
        }

        /** Adds the input vectors of batch {@code v}, a few images at a time. */
        void add(NDArray v) {
            long n = v.getShape().get(0);
            long perImage = layer.groups() * (long) layer.patch()
                    * (layer.conv() ? layer.positions(v.getShape().get(2), v.getShape().get(3)) : 1);
            long step = Math.max(1, SLICE_VALUES / Math.max(1, perImage));
            for (long i = 0; i < n; i += step) {
                try (NDManager t = v.getManager().newSubManager()) {
                    NDArray part = v.get(i + ":" + Math.min(n, i + step));
                    part.attach(t);
                    NDArray x = part.toType(DataType.FLOAT64, false);
                    x.attach(t);
                    merge(layer.vectors(x));
                }
            }
        }

        /** Chan et al.'s merge of a block of vectors {@code (groups, nb, d)} into the running moments. */
        private void merge(NDArray vectors) {
            long nb = vectors.getShape().get(1);
            NDArray mb = vectors.mean(new int[] {1});
            NDArray xc = vectors.sub(mb.expandDims(1));
            NDArray gram = xc.transpose(0, 2, 1).matMul(xc);
            if (count == 0) {
                mb.attach(manager);
                gram.attach(manager);
                mean = mb;
                m2 = gram;
                count = nb;
                return;
            }
            long total = count + nb;
            NDArray delta = mb.sub(mean);
            m2.addi(gram.addi(delta.expandDims(2).mul(delta.expandDims(1)).muli((double) count * nb / total)));
            mean.addi(delta.muli((double) nb / total));
            count = total;
        }

        InputCovariance result() {
            int g = layer.groups();
            int d = layer.patch();
            double[] mu = mean.toDoubleArray();
            double[] c = m2.toDoubleArray();
            double[][] means = new double[g][];
            double[][] covs = new double[g][];
            for (int k = 0; k < g; k++) {
                means[k] = Arrays.copyOfRange(mu, k * d, (k + 1) * d);
                covs[k] = new double[d * d];
                for (int i = 0; i < d * d; i++) {
                    covs[k][i] = c[k * d * d + i] / count; // population covariance
                }
            }
            return new InputCovariance(unit, layer, count, means, covs);
        }
    }
}
