package org.asrworkbench.core.estimate;

/**
 * D's input statistics of one unit's layer: per group {@code g} of its output channels the mean
 * {@code mu_g} and the population covariance {@code C_g} of the layer's input vectors
 * (see {@link LayerInput}), accumulated in float64 over {@code count} vectors. Arrays are shared,
 * not copied: treat them as read-only.
 *
 * @param unit  the unit's name
 * @param layer the layer's input geometry
 * @param count input vectors per group ({@code N_est * positions})
 * @param mean  per group, {@code d} values
 * @param cov   per group, {@code d x d} values, row-major and symmetric
 */
public record InputCovariance(String unit, LayerInput layer, long count, double[][] mean, double[][] cov) {

    public InputCovariance {
        int d = layer.patch();
        if (mean.length != layer.groups() || cov.length != layer.groups()) {
            throw new IllegalArgumentException("unit '" + unit + "': " + layer.groups() + " groups expected");
        }
        for (int g = 0; g < mean.length; g++) {
            if (mean[g].length != d || cov[g].length != (long) d * d) {
                throw new IllegalArgumentException("unit '" + unit + "': group " + g + " needs " + d + " means and "
                        + d + "x" + d + " covariances");
            }
        }
    }

    /** Bytes the covariances of a layer with this geometry take (float64). */
    public static long bytes(LayerInput layer) {
        return 8L * layer.groups() * layer.patch() * layer.patch();
    }
}
