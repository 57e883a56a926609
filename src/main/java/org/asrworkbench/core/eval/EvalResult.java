package org.asrworkbench.core.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of an evaluation. {@code top5} is null when the model has 10 classes or fewer.
 * {@code perClassAccuracy[k]} is NaN for a class with no image in the evaluated set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalResult(double top1, Double top5, int n, double[] perClassAccuracy, String device, double seconds,
                         double imagesPerSecond) {
}
