package org.asrworkbench.core.repair;

import org.asrworkbench.core.exec.BnOverride;

/**
 * One unit's repair and the per-channel quantities the views plot. Arrays hold one value per
 * channel and are shared, not copied: treat them as read-only.
 *
 * @param unit            the unit's conv/linear module name
 * @param bn              the BatchNorm module name it feeds
 * @param mean            the chosen BN mean
 * @param var             the chosen BN variance
 * @param gain            the chosen gain (folded into gamma on export)
 * @param w               ASR's weight {@code w_c} at the settings' lambda, whatever the method
 * @param gainLayerWise   {@code 1 / R_u} (1 for dead channels)
 * @param gainChannelWise {@code 1 / r_c} (1 for dead channels)
 * @param gainAsr         ASR's {@code g_c} at the settings' lambda (1 for dead channels)
 * @param relVarAfter     predicted post-BN variance in P after this repair relative to D's,
 *                        {@code gain^2 * s2_p * (v_c + eps) / ((var_c + eps) * s2_d)}; gamma cancels.
 *                        NaN for dead channels ({@code s2_d = 0}), 0 for collapsed ones.
 */
public record UnitRepair(String unit, String bn, float[] mean, float[] var, float[] gain,
                         double[] w, double[] gainLayerWise, double[] gainChannelWise, double[] gainAsr,
                         double[] relVarAfter) {

    public int channels() {
        return mean.length;
    }

    /** The BatchNorm override that applies this repair (shares the arrays). */
    public BnOverride toOverride() {
        return new BnOverride(mean, var, gain);
    }
}
