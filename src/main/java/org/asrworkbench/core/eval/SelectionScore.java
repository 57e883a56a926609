package org.asrworkbench.core.eval;

/**
 * How closely a repaired network P follows the dense network D on the same images, from their
 * logits alone (no labels): the mean Kullback–Leibler divergence
 * {@code KL(softmax(D) || softmax(P)) = sum_j p_j (log p_j - log q_j)} with
 * {@code log p = z - logsumexp(z)} in float64, and the top-1 agreement (the fraction of images
 * whose argmax is the same, ties to the first index).
 */
public final class SelectionScore {
    private SelectionScore() {
    }

    /** Mean over images of {@code KL(softmax(d_i) || softmax(p_i))}, in float64. */
    public static double meanKl(Logits d, Logits p) {
        requireSameShape(d, p);
        int k = d.k();
        double[] logP = new double[k];
        double[] logQ = new double[k];
        double sum = 0;
        for (int i = 0; i < d.n(); i++) {
            logSoftmax(d.values(), i * k, k, logP);
            logSoftmax(p.values(), i * k, k, logQ);
            double kl = 0;
            for (int j = 0; j < k; j++) {
                kl += Math.exp(logP[j]) * (logP[j] - logQ[j]);
            }
            sum += kl;
        }
        return sum / d.n();
    }

    /** The fraction of images on which P's argmax equals D's. */
    public static double agreement(Logits d, Logits p) {
        requireSameShape(d, p);
        int same = 0;
        for (int i = 0; i < d.n(); i++) {
            if (d.argmax(i) == p.argmax(i)) {
                same++;
            }
        }
        return same / (double) d.n();
    }

    /** {@code out[j] = z_j - logsumexp(z)} for the {@code k} logits at {@code off}, in float64. */
    static void logSoftmax(float[] z, int off, int k, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[off + j]);
        }
        double s = 0;
        for (int j = 0; j < k; j++) {
            s += Math.exp(z[off + j] - max);
        }
        double lse = max + Math.log(s);
        for (int j = 0; j < k; j++) {
            out[j] = z[off + j] - lse;
        }
    }

    private static void requireSameShape(Logits d, Logits p) {
        if (d.n() != p.n() || d.k() != p.k()) {
            throw new IllegalArgumentException("logits of " + d.n() + " x " + d.k() + " and " + p.n() + " x " + p.k()
                    + " cannot be compared");
        }
        if (d.n() == 0) {
            throw new IllegalArgumentException("no images to compare logits on");
        }
    }
}
