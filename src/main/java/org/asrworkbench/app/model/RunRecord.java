package org.asrworkbench.app.model;

import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.SettingsText;

import java.util.Map;

/**
 * One finished "apply and evaluate": a row of the runs table and a point of the runs chart.
 * The three top-1 figures are measured on the same evaluation images (the CLI's
 * {@code top1Dense}, {@code top1Pruned} and {@code top1}).
 *
 * @param model    the model file's name
 * @param pruning  the pruning kind id
 * @param sparsity the requested sparsity
 * @param achieved the achieved sparsity
 * @param method   the repair method id
 * @param lambda   the method's parameter named lambda (ASR's shrinkage strength); NaN where it has none

 * @param n        the calibration size
 * @param seed     the calibration seed ("none" for file order)
 * @param top1     top-1 accuracy in [0, 1]
 * @param images   the number of evaluated images
 * @param seconds  wall time of the pass and the evaluation
 * @param params   the method's parameter values (null in runs saved before methods had named parameters)
 * @param top1Dense     top-1 of the dense (unpruned) network on the same images (NaN: not measured)
 * @param top1Pruned    top-1 of the pruned network without repair (method {@code none}; NaN: not measured)
 * @param normalization the input normalisation's name (null: not recorded)
 * @param units    the units repaired, {@code all} or {@code bn} (null in runs saved before units had kinds,
 *                 which repaired BN units only)
 */
public record RunRecord(String model, String pruning, double sparsity, double achieved, String method, double lambda,
                        int n, String seed, double top1, int images, double seconds, Map<String, Double> params,
                        double top1Dense, double top1Pruned, String normalization, String units) {

    /** A run recorded before units had kinds. */
    public RunRecord(String model, String pruning, double sparsity, double achieved, String method, double lambda,
                     int n, String seed, double top1, int images, double seconds, Map<String, Double> params,
                     double top1Dense, double top1Pruned, String normalization) {
        this(model, pruning, sparsity, achieved, method, lambda, n, seed, top1, images, seconds, params, top1Dense,
                top1Pruned, normalization, null);
    }

    /** A run of a method whose only parameter, if any, is lambda (as runs were recorded before named parameters). */
    public RunRecord(String model, String pruning, double sparsity, double achieved, String method, double lambda,
                     int n, String seed, double top1, int images, double seconds) {
        this(model, pruning, sparsity, achieved, method, lambda, n, seed, top1, images, seconds, null, Double.NaN,
                Double.NaN, null);
    }

    /** A run of {@code settings} with the three top-1 figures: lambda is its parameter of that name (NaN where it has none). */
    public static RunRecord of(String model, String pruning, double sparsity, double achieved, RepairSettings settings,
                               int n, String seed, double top1, int images, double seconds, double top1Dense,
                               double top1Pruned, String normalization) {
        Double lambda = settings.param("lambda");
        return new RunRecord(model, pruning, sparsity, achieved, settings.method().id(),
                lambda == null ? Double.NaN : lambda, n, seed, top1, images, seconds, settings.params(), top1Dense,
                top1Pruned, normalization, settings.units().id());
    }

    /** The gain of the repair over {@code none} (the pruned network), in [-1, 1]; NaN when not measured. */
    public double gainOverNone() {
        return top1 - top1Pruned;
    }

    /**
     * The parameter values: those recorded; for an older run, its lambda where its method (a
     * built-in, looked up by id) has a parameter of that name.
     */
    public Map<String, Double> paramValues() {
        if (params != null) {
            return params;
        }
        RepairMethod m = RepairMethods.builtin(method);
        return m != null && m.param("lambda") != null && !Double.isNaN(lambda) ? Map.of("lambda", lambda) : Map.of();
    }

    /** The series of this run in charts: {@code asr (lambda 0.25)}, {@code bn-recal}, {@code asr (lambda 0.25) [bn units]}. */
    public String series() {
        String l = SettingsText.label(method, paramValues());
        return "bn".equals(units) ? l + " [bn units]" : l;
    }
}
