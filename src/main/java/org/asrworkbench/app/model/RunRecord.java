package org.asrworkbench.app.model;

/**
 * One finished "apply and evaluate": a row of the runs table and a point of the runs chart.
 * The three top-1 figures are measured on the same evaluation images (the CLI's
 * {@code top1Dense}, {@code top1Pruned} and {@code top1}); a figure not measured (a session or
 * sweep written before they were recorded) is NaN.
 *
 * @param model         the model file's name
 * @param pruning       the pruning kind id
 * @param sparsity      the requested sparsity
 * @param achieved      the achieved sparsity
 * @param method        the repair method id
 * @param lambda        the shrinkage strength
 * @param n             the calibration size
 * @param seed          the calibration seed ("none" for file order)
 * @param top1          repaired top-1 accuracy in [0, 1]
 * @param images        the number of evaluated images
 * @param seconds       wall time of the pass and the evaluation
 * @param top1Dense     top-1 of the dense (unpruned) network
 * @param top1Pruned    top-1 of the pruned network without repair (method {@code none})
 * @param normalization the input normalisation's name (null: not recorded)
 */
public record RunRecord(String model, String pruning, double sparsity, double achieved, String method, double lambda,
                        int n, String seed, double top1, int images, double seconds, double top1Dense,
                        double top1Pruned, String normalization) {

    /** The gain of the repair over {@code none} (the pruned network), in [−1, 1]; NaN when not measured. */
    public double gainOverNone() {
        return top1 - top1Pruned;
    }
}
