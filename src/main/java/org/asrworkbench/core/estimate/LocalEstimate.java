package org.asrworkbench.core.estimate;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.core.tensor.StateDict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local damage estimate of docs/repair-methods.md for any mask, from D's input covariances
 * alone (no forward pass): per channel
 * <pre>
 *   s2_d_est = w_c^T C_g w_c,   s2_p_est = (w_c . m_c)^T C_g (w_c . m_c),
 *   r_est_c  = sqrt((s2_p_est + eps) / (s2_d_est + eps))
 * </pre>
 * and {@code R_est} with the gamma-weighted formula. It assumes every upstream layer intact.
 *
 * <p>Fast enough to follow the sparsity slider: per channel it keeps the current mask and the
 * vector {@code C_g (w_c . m_c)}; a new mask only touches the weights whose flag changed (or,
 * when that is cheaper, rebuilds the vector from the dense one minus the pruned weights, or
 * from the kept weights), one row of {@code C_g} per weight, and {@code s2_p_est} is then one
 * dot product. Not thread-safe; {@link #update} is synchronized.
 */
public final class LocalEstimate {
    /** How every view names it. */
    public static final String LABEL = "local estimate \u2014 upstream damage not included";
    /** The settings key that marks statistics made from the estimate. */
    public static final String ESTIMATE = "estimate";

    private final List<State> units = new ArrayList<>();
    private final InputCovariances covariances;

    /** One unit: its weights, covariance and the current mask's running state. */
    private static final class State {
        final String unit;
        final String bn;
        final String weightName;
        final String note;
        final InputCovariance cov;
        final double[] gamma;
        final double eps;
        final float[] w;
        final int d;
        final int perGroup;
        final boolean[] keep;
        final double[] cw;
        final double[] cv;
        final double[] s2d;
        final double[] s2p;

        final double[] bias;
        final double[] runningMean;
        final double[] runningVar;
        final double[] muD;
        final double[] muP;
        final double[] co;
        final boolean virtual;

        State(String unit, String note) {
            this.virtual = false;
            this.unit = unit;
            this.note = note;
            bn = null;
            bias = null;
            runningMean = null;
            runningVar = null;
            muD = null;
            muP = null;
            co = null;
            weightName = null;
            cov = null;
            gamma = null;
            eps = 0;
            w = null;
            d = 0;
            perGroup = 0;
            keep = null;
            cw = null;
            cv = null;
            s2d = null;
            s2p = null;
        }

        /**
         * A unit's state; a virtual unit ({@code gamma}, {@code runningMean}, {@code runningVar}
         * null) takes its virtual BN from the estimate of D: {@code gamma = sqrt(s2_d_est + eps)},
         * {@code m = mu_d_est}, {@code v = s2_d_est}.
         */
        State(Unit u, String weightName, InputCovariance cov, double[] gamma, double eps, float[] w, double[] bias,
              double[] runningMean, double[] runningVar) {
            this.unit = u.name();
            this.bn = u.bn();
            this.virtual = u.isVirtual();
            this.bias = bias;
            this.note = null;
            this.weightName = weightName;
            this.cov = cov;
            this.eps = virtual ? UnitStats.VIRTUAL_EPS : eps;
            this.w = w;
            this.d = cov.layer().patch();
            this.perGroup = cov.layer().channelsPerGroup();
            int channels = cov.layer().outChannels();
            keep = new boolean[w.length];
            Arrays.fill(keep, true);
            cw = new double[w.length];
            s2d = new double[channels];
            for (int c = 0; c < channels; c++) {
                int off = c * d;
                fromKept(c, off, keep, cw);
                s2d[c] = dot(w, off, cw, d);
            }
            cv = cw.clone();
            s2p = s2d.clone();
            co = s2d.clone();
            muD = new double[channels];
            for (int c = 0; c < channels; c++) {
                muD[c] = mean(c, keep);
            }
            muP = muD.clone();
            if (virtual) {
                this.gamma = new double[channels];
                for (int c = 0; c < channels; c++) {
                    this.gamma[c] = Math.sqrt(s2d[c] + this.eps);
                }
                this.runningMean = muD.clone();
                this.runningVar = s2d.clone();
            } else {
                this.gamma = gamma;
                this.runningMean = runningMean;
                this.runningVar = runningVar;
            }
        }

        /** {@code (w_c . m_c) . mu_g + b_c}. */
        private double mean(int c, boolean[] mask) {
            int off = c * d;
            double[] mu = cov.mean()[c / perGroup];
            double m = bias[c];
            for (int i = 0; i < d; i++) {
                if (mask == null || mask[off + i]) {
                    m += w[off + i] * mu[i];
                }
            }
            return m;
        }

        /** {@code target[c] = C_g (w_c . m_c)}, from the kept weights. */
        private void fromKept(int c, int off, boolean[] mask, double[] target) {
            Arrays.fill(target, off, off + d, 0.0);
            double[] cg = cov.cov()[c / perGroup];
            for (int i = 0; i < d; i++) {
                if (mask[off + i]) {
                    axpy(w[off + i], cg, i * d, target, off, d);
                }
            }
        }

        void update(boolean[] mask) {
            for (int c = 0; c < s2d.length; c++) {
                int off = c * d;
                int flips = 0;
                int kept = 0;
                for (int i = off; i < off + d; i++) {
                    boolean m = mask == null || mask[i];
                    if (m != keep[i]) {
                        flips++;
                    }
                    if (m) {
                        kept++;
                    }
                }
                if (flips == 0) {
                    continue;
                }
                double[] cg = cov.cov()[c / perGroup];
                if (kept == 0) {
                    Arrays.fill(cv, off, off + d, 0.0);
                } else if (kept == d) {
                    System.arraycopy(cw, off, cv, off, d);
                } else if (flips <= Math.min(kept, d - kept)) {
                    for (int i = 0; i < d; i++) {
                        boolean m = mask == null || mask[off + i];
                        if (m != keep[off + i]) {
                            axpy(m ? w[off + i] : -w[off + i], cg, i * d, cv, off, d);
                        }
                    }
                } else if (d - kept < kept) {
                    System.arraycopy(cw, off, cv, off, d);
                    for (int i = 0; i < d; i++) {
                        if (!mask[off + i]) {
                            axpy(-w[off + i], cg, i * d, cv, off, d);
                        }
                    }
                } else {
                    fromKept(c, off, mask, cv);
                }
                double s = 0;
                double cross = 0;
                for (int i = 0; i < d; i++) {
                    boolean m = mask == null || mask[off + i];
                    keep[off + i] = m;
                    if (m) {
                        s += w[off + i] * cv[off + i];
                        cross += w[off + i] * cw[off + i];
                    }
                }
                s2p[c] = Math.max(0.0, s); // a quadratic form of a covariance; only rounding can make it negative
                co[c] = cross;
                muP[c] = mean(c, keep);
            }
        }

        UnitEstimate result() {
            if (note != null) {
                return UnitEstimate.none(unit, note);
            }
            double[] r = new double[s2d.length];
            for (int c = 0; c < r.length; c++) {
                r[c] = Math.sqrt((s2p[c] + eps) / (s2d[c] + eps));
            }
            double[] rho = new double[r.length];
            for (int c = 0; c < r.length; c++) {
                double den = s2d[c] * s2p[c];
                rho[c] = den > 0 ? Math.max(-1, Math.min(1, co[c] / Math.sqrt(den))) : 0.0;
            }
            return new UnitEstimate(unit, r, s2d.clone(), s2p.clone(), muD.clone(), muP.clone(), rho,
                    UnitStats.layerRetention(gamma, r), null);
        }

        UnitStats stats(UnitEstimate e) {
            if (virtual) {
                return UnitStats.virtual(unit, bn, e.muDEst(), e.s2dEst(), e.muPEst(), e.s2pEst(), e.rhoEst());
            }
            return new UnitStats(unit, bn, eps, gamma, runningMean, runningVar, e.muDEst(), e.s2dEst(), e.muPEst(),
                    e.s2pEst(), e.rhoEst());
        }
    }

    /**
     * @param graph  D's graph
     * @param dense  D's weights (the weights the masks apply to, and the BatchNorms' gamma and eps)
     * @param covariances gathered on D ({@link CovarianceGatherer})
     */
    public LocalEstimate(Graph graph, StateDict dense, InputCovariances covariances) {
        this(graph, dense, covariances, UnitSelection.ALL);
    }

    /** The estimate of the units {@code selection} picks (the pass's units for the same setting). */
    public LocalEstimate(Graph graph, StateDict dense, InputCovariances covariances, UnitSelection selection) {
        this.covariances = covariances;
        for (Unit u : graph.units(selection)) {
            Node layer = u.layerNode() == null ? null : graph.node(u.layerNode());
            InputCovariance cov = covariances.units().get(u.name());
            if (layer == null || !(layer.op() instanceof Op.WeightLayer wl)) {
                units.add(new State(u.name(), "no local estimate: no single layer feeds this BatchNorm"));
                continue;
            }
            if (wl instanceof Op.Linear l && l.transposed()) {
                units.add(new State(u.name(), "no local estimate: the layer's weight is stored transposed (a MatMul)"));
                continue;
            }
            if (cov == null) {
                String note = covariances.notes().get(u.name());
                units.add(new State(u.name(), note != null ? note : "no local estimate: no input covariance"));
                continue;
            }
            String weightName = wl.weight();
            double[] bias = wl.hasBias() ? doubles(dense.require(wl.bias()).data()) : new double[u.channels()];
            if (u.isVirtual()) {
                units.add(new State(u, weightName, cov, null, UnitStats.VIRTUAL_EPS, dense.require(weightName).data(),
                        bias, null, null));
                continue;
            }
            Op.BatchNorm2d bn = graph.batchNorm(u);
            units.add(new State(u, weightName, cov, doubles(dense.require(bn.scale()).data()), bn.eps(),
                    dense.require(weightName).data(), bias, doubles(dense.require(bn.mean()).data()),
                    doubles(dense.require(bn.var()).data())));
        }
    }

    public InputCovariances covariances() {
        return covariances;
    }

    /**
     * The estimate of every unit (graph unit order, the pass's names) for {@code masks}: keep
     * flags by weight name as {@link org.asrworkbench.core.prune.PruneResult#masks()} gives
     * them; a layer absent from the map counts as unpruned.
     */
    public synchronized List<UnitEstimate> update(Map<String, boolean[]> masks) {
        List<UnitEstimate> out = new ArrayList<>(units.size());
        for (State s : units) {
            if (s.note == null) {
                boolean[] m = masks.get(s.weightName);
                if (m != null && m.length != s.w.length) {
                    throw new IllegalArgumentException("mask of '" + s.weightName + "' has " + m.length
                            + " flags, the weight " + s.w.length);
                }
                s.update(m);
            }
            out.add(s.result());
        }
        return out;
    }

    /**
     * The estimate as statistics the views and the repair preview read: per unit with an
     * estimate, {@code s2_d, s2_p, mu_d, mu_p, rho} from the estimate (so {@code r = r_est} and
     * {@code R = R_est}) and the BatchNorm's own parameters; units without one are left out.
     * The settings say it is the local estimate ({@code "estimate"}: {@link #LABEL}).
     */
    public NetworkStats asStats(List<UnitEstimate> estimate, Map<String, Object> settings) {
        List<UnitStats> out = new ArrayList<>();
        for (int i = 0; i < estimate.size(); i++) {
            UnitEstimate e = estimate.get(i);
            if (e.available()) {
                out.add(units.get(i).stats(e));
            }
        }
        Map<String, Object> s = new LinkedHashMap<>(settings);
        s.put(ESTIMATE, LABEL);
        return new NetworkStats(s, out);
    }

    /** True when the statistics are a local estimate ({@link #asStats}), not a pass's. */
    public static boolean isEstimate(NetworkStats stats) {
        return stats != null && stats.setting(ESTIMATE) != null;
    }

    private static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a * x[xOff + j];
        }
    }

    private static double dot(float[] a, int aOff, double[] b, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += a[aOff + j] * b[aOff + j];
        }
        return s;
    }
}
