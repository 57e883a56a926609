package org.asrworkbench.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.data.BatchReader;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.core.exec.InferencePlan;
import org.asrworkbench.core.jobs.Progress;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/** Top-1 (and top-5 above 10 classes) accuracy of a network on labelled images, batch by batch. */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * Evaluates the images {@code indices} of {@code data}. Cancellation is checked before every
     * batch, so a cancelled evaluation stops within one batch.
     */
    public static EvalResult evaluate(Executor exec, Map<String, BnOverride> overrides, ImageDataset data,
                                      int[] indices, Normalization norm, int batchSize, Progress progress)
            throws IOException {
        return evaluate(exec, overrides, data, indices, norm, batchSize, progress, null);
    }

    /** Receives the logits of each evaluated batch, in order: {@code b} images of {@code k} classes, row-major. */
    @FunctionalInterface
    public interface LogitsSink {
        void accept(int start, int b, int k, int[] labels, float[] logits) throws IOException;
    }

    /** As above, and hands each batch's logits to {@code sink} (when not null) as they are computed. */
    public static EvalResult evaluate(Executor exec, Map<String, BnOverride> overrides, ImageDataset data,
                                      int[] indices, Normalization norm, int batchSize, Progress progress,
                                      LogitsSink sink) throws IOException {
        DatasetFit.check(data, norm, exec.graph());
        int classes = data.numClasses();
        long[] correctPerClass = new long[classes];
        long[] countPerClass = new long[classes];
        boolean wantTop5 = classes > 10;
        long t0 = System.nanoTime();
        long[] hits = new long[2];
        try (InferencePlan plan = InferencePlan.of(exec, overrides)) {
            new BatchReader(data, norm, batchSize).forEach(indices, batch -> {
                int b = batch.size();
                try (NDManager m = exec.manager().newSubManager()) {
                    NDArray x = exec.input(m, batch.pixels(), b, data.channels(), data.height(), data.width());
                    NDArray logits = plan.forward(x);
                    float[] out = logits.toFloatArray();
                    int k = (int) logits.getShape().get(1);
                    checkFinite(exec, overrides, data, indices, batch, out, k);
                    for (int i = 0; i < b; i++) {
                        int label = batch.labels()[i];
                        int rank = rankOf(out, i * k, k, label);
                        countPerClass[label]++;
                        if (rank == 0) {
                            hits[0]++;
                            correctPerClass[label]++;
                        }
                        if (rank < 5) {
                            hits[1]++;
                        }
                    }
                    if (sink != null) {
                        sink.accept(batch.start(), b, k, batch.labels(), out);
                    }
                }
                int done = batch.start() + b;
                progress.update(done / (double) indices.length, "evaluated " + done + " of " + indices.length);
            }, progress::isCancelled);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double[] perClass = new double[classes];
        for (int c = 0; c < classes; c++) {
            perClass[c] = countPerClass[c] == 0 ? Double.NaN : correctPerClass[c] / (double) countPerClass[c];
        }
        int n = indices.length;
        return new EvalResult(hits[0] / (double) n, wantTop5 ? hits[1] / (double) n : null, n, perClass,
                Engines.describe(exec.device()), secs, n / secs);
    }

    /**
     * Fails when a logit of the batch is NaN or infinite, naming the model, the first such image
     * (its index in the dataset) and the first layer whose output is not finite for it, found by
     * running that image again node by node with the general executor.
     */
    private static void checkFinite(Executor exec, Map<String, BnOverride> overrides, ImageDataset data, int[] indices,
                                    BatchReader.Batch batch, float[] logits, int k) {
        int j = Tensor.firstNonFinite(logits);
        if (j < 0) {
            return;
        }
        int i = j / k;
        int pixels = data.channels() * data.height() * data.width();
        float[] one = Arrays.copyOfRange(batch.pixels(), i * pixels, (i + 1) * pixels);
        Executor.NonFinite first;
        try (NDManager m = exec.manager().newSubManager()) {
            first = exec.firstNonFinite(exec.input(m, one, 1, data.channels(), data.height(), data.width()), overrides);
        }
        throw new NonFiniteOutputException(exec.graph().name(), data.source(), indices[batch.start() + i],
                logits[j], first == null ? null : first.node(), first == null ? Float.NaN : first.value());
    }

    /** The label's rank: logits above it, and equal logits at a lower index (so rank 0 is exactly argmax's first-index choice). */
    static int rankOf(float[] logits, int off, int k, int label) {
        float v = logits[off + label];
        int rank = 0;
        for (int j = 0; j < k; j++) {
            float o = logits[off + j];
            if (o > v || (o == v && j < label)) {
                rank++;
            }
        }
        return rank;
    }
}
