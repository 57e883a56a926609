package org.asrworkbench.core.estimate;

/**
 * One unit's local damage estimate for a mask: per channel {@code r_est} with the two
 * quadratic forms behind it, and the gamma-weighted {@code R_est}. A unit without an estimate
 * has null arrays, {@code R_est = NaN} and a note saying why.
 *
 * @param unit   the unit's name (as in the pass)
 * @param rEst   {@code sqrt((s2_p_est + eps) / (s2_d_est + eps))} per channel, or null
 * @param s2dEst {@code w_c^T C_g w_c} per channel, or null
 * @param s2pEst {@code (w_c . m_c)^T C_g (w_c . m_c)} per channel, or null
 * @param muDEst {@code w_c . mu_g + b_c}, D's pre-BN mean under the same assumption, or null
 * @param muPEst {@code (w_c . m_c) . mu_g + b_c}, or null
 * @param rhoEst {@code (w_c . m_c)^T C_g w_c / sqrt(s2_d_est s2_p_est)} (0 where either is 0), or null
 * @param R      {@code R_est}: the gamma-weighted layer retention of {@code rEst}, or NaN
 * @param note   why there is no estimate, or null
 */
public record UnitEstimate(String unit, double[] rEst, double[] s2dEst, double[] s2pEst, double[] muDEst,
                           double[] muPEst, double[] rhoEst, double R, String note) {

    public boolean available() {
        return rEst != null;
    }

    static UnitEstimate none(String unit, String note) {
        return new UnitEstimate(unit, null, null, null, null, null, null, Double.NaN, note);
    }
}
