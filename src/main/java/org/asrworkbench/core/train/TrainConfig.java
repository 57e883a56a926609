package org.asrworkbench.core.train;

/**
 * The settings of one training run: SGD with momentum and weight decay (not on BatchNorm or
 * bias), a cosine learning-rate schedule over every step of every epoch, and random crops with
 * zero padding plus horizontal flips. Every random choice derives from {@code seed}.
 *
 * @param epochs       passes over the training set
 * @param learningRate peak learning rate (the cosine schedule starts here and ends at 0)
 * @param batchSize    images per step; the last incomplete batch of an epoch is dropped
 * @param momentum     SGD momentum (PyTorch semantics)
 * @param weightDecay  L2 penalty on conv and linear weights
 * @param seed         seeds initialisation, shuffling and augmentation
 * @param cropPadding  zero padding in pixels for the random crop (0: no crop)
 * @param flip         random horizontal flips
 * @param warmupEpochs epochs (a fraction allowed) over which the learning rate ramps up linearly
 *                     from 0 before following the cosine; 0 for none. Deep bottleneck ResNets
 *                     diverge in their first steps at lr 0.1 without it.
 */
public record TrainConfig(int epochs, double learningRate, int batchSize, double momentum, double weightDecay,
                          long seed, int cropPadding, boolean flip, double warmupEpochs) {

    /** Without warm-up. */
    public TrainConfig(int epochs, double learningRate, int batchSize, double momentum, double weightDecay,
                       long seed, int cropPadding, boolean flip) {
        this(epochs, learningRate, batchSize, momentum, weightDecay, seed, cropPadding, flip, 0);
    }

    public TrainConfig {
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs must be positive, not " + epochs);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, not " + learningRate);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batch size must be at least 2 (BatchNorm needs batch statistics), not "
                    + batchSize);
        }
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), not " + momentum);
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("weight decay must not be negative, not " + weightDecay);
        }
        if (cropPadding < 0) {
            throw new IllegalArgumentException("crop padding must not be negative, not " + cropPadding);
        }
        if (!(warmupEpochs >= 0 && warmupEpochs <= epochs)) {
            throw new IllegalArgumentException("warm-up must be between 0 and the " + epochs + " epochs, not " + warmupEpochs);
        }
    }

    /** The defaults: momentum 0.9, weight decay 5e-4, 2-pixel crops and flips. */
    public static TrainConfig of(int epochs, double learningRate, int batchSize, long seed) {
        return new TrainConfig(epochs, learningRate, batchSize, 0.9, 5e-4, seed, 2, true);
    }

    /**
     * Learning rate at {@code step} of {@code totalSteps}: {@code lr * (1 + cos(pi * step / total)) / 2},
     * times {@code (step + 1) / W} during the first {@code W = warmupEpochs * total / epochs} steps.
     */
    public double learningRateAt(long step, long totalSteps) {
        double cosine = learningRate * 0.5 * (1 + Math.cos(Math.PI * step / (double) totalSteps));
        double warmupSteps = warmupEpochs * totalSteps / epochs;
        return step + 1 < warmupSteps ? cosine * (step + 1) / warmupSteps : cosine;
    }
}
