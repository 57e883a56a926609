package org.asrworkbench.app.model;

/**
 * One finished "apply and evaluate": a row of the runs table and a point of the runs chart.
 *
 * @param model    the model file's name
 * @param pruning  the pruning kind id
 * @param sparsity the requested sparsity
 * @param achieved the achieved sparsity
 * @param method   the repair method id
 * @param lambda   the shrinkage strength
 * @param n        the calibration size
 * @param seed     the calibration seed ("none" for file order)
 * @param top1     top-1 accuracy in [0, 1]
 * @param images   the number of evaluated images
 * @param seconds  wall time of the pass and the evaluation
 */
public record RunRecord(String model, String pruning, double sparsity, double achieved, String method, double lambda,
                        int n, String seed, double top1, int images, double seconds) {
}
