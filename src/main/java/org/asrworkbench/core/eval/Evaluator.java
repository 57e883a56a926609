package org.asrworkbench.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.jobs.Progress;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

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
        DatasetFit.check(data, norm, exec.graph());
        int classes = data.numClasses();
        int per = data.channels() * data.height() * data.width();
        long[] correctPerClass = new long[classes];
        long[] countPerClass = new long[classes];
        long top1 = 0;
        long top5 = 0;
        boolean wantTop5 = classes > 10;
        float[] pixels = new float[batchSize * per];
        long t0 = System.nanoTime();
        for (int start = 0; start < indices.length; start += batchSize) {
            progress.checkCancelled();
            int b = Math.min(batchSize, indices.length - start);
            int[] idx = java.util.Arrays.copyOfRange(indices, start, start + b);
            int[] labels = data.read(idx, pixels);
            norm.apply(pixels, b);
            try (NDManager m = exec.manager().newSubManager()) {
                NDArray x = m.create(java.nio.FloatBuffer.wrap(pixels, 0, b * per),
                        new ai.djl.ndarray.types.Shape(b, data.channels(), data.height(), data.width()));
                NDArray logits = exec.forward(x, overrides, Set.of(), null);
                float[] out = logits.toFloatArray();
                int k = (int) logits.getShape().get(1);
                for (int i = 0; i < b; i++) {
                    int label = labels[i];
                    int rank = rankOf(out, i * k, k, label);
                    countPerClass[label]++;
                    if (rank == 0) {
                        top1++;
                        correctPerClass[label]++;
                    }
                    if (rank < 5) {
                        top5++;
                    }
                }
            }
            progress.update((start + b) / (double) indices.length, "evaluated " + (start + b) + " of " + indices.length);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double[] perClass = new double[classes];
        for (int c = 0; c < classes; c++) {
            perClass[c] = countPerClass[c] == 0 ? Double.NaN : correctPerClass[c] / (double) countPerClass[c];
        }
        int n = indices.length;
        return new EvalResult(top1 / (double) n, wantTop5 ? top5 / (double) n : null, n, perClass,
                Engines.describe(exec.device()), secs, n / secs);
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
