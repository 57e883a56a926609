package org.asrworkbench.core.train;

/**
 * One finished epoch: mean training loss and accuracy over its steps (on augmented images, with
 * batch statistics) and its wall time.
 *
 * @param epoch 1-based epoch number
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double learningRate, double seconds) {
}
