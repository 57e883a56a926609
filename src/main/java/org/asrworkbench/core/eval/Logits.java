package org.asrworkbench.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.data.BatchReader;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.exec.InferencePlan;
import org.asrworkbench.core.jobs.Progress;

import java.io.IOException;
import java.util.Map;

/**
 * A network's logits on a list of images, row-major: image {@code i}'s {@code k} logits start at
 * {@code i * k}.
 *
 * @param n      images
 * @param k      classes
 * @param values {@code n * k} logits
 */
public record Logits(int n, int k, float[] values) {

    public Logits {
        if (n < 0 || k <= 0 || values.length != (long) n * k) {
            throw new IllegalArgumentException(n + " images of " + k + " logits need " + ((long) n * k)
                    + " values, got " + values.length);
        }
    }

    /** The logits of {@code exec} with BatchNorm {@code overrides} on the images {@code indices} of {@code data}. */
    public static Logits of(Executor exec, Map<String, BnOverride> overrides, ImageDataset data, int[] indices,
                            Normalization norm, int batchSize, Progress progress) throws IOException {
        DatasetFit.check(data, norm, exec.graph());
        float[][] all = {null};
        int[] classes = {0};
        try (InferencePlan plan = InferencePlan.of(exec, overrides)) {
            new BatchReader(data, norm, batchSize).forEach(indices, batch -> {
                int b = batch.size();
                try (NDManager m = exec.manager().newSubManager()) {
                    NDArray x = exec.input(m, batch.pixels(), b, data.channels(), data.height(), data.width());
                    NDArray out = plan.forward(x);
                    int k = (int) out.getShape().get(1);
                    if (all[0] == null) {
                        all[0] = new float[Math.multiplyExact(indices.length, k)];
                        classes[0] = k;
                    }
                    System.arraycopy(Executor.toFloats(out), 0, all[0], batch.start() * k, b * k);
                }
                int done = batch.start() + b;
                progress.update(done / (double) indices.length, "logits of " + done + " of " + indices.length);
            }, progress::isCancelled);
        }
        if (all[0] == null) {
            throw new IllegalArgumentException("no images to compute logits on");
        }
        int k = classes[0];
        return new Logits(indices.length, k, all[0]);
    }

    /** The first index of image {@code i}'s largest logit (PyTorch's tie rule). */
    public int argmax(int i) {
        int off = i * k;
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (values[off + j] > values[off + best]) {
                best = j;
            }
        }
        return best;
    }

    /** True when no logit is NaN or infinite. */
    public boolean finite() {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
