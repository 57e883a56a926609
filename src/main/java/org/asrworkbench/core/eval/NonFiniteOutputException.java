package org.asrworkbench.core.eval;

import java.nio.file.Path;

/**
 * A network gave a NaN or infinite logit: no accuracy can be computed from it (no comparison
 * with NaN is true, so a NaN logit would rank every label first). Names the model, the first
 * image (its index in the dataset) whose logits are not finite, and the first layer (graph node)
 * whose output is not finite for that image, or null where node by node every output is finite.
 */
public final class NonFiniteOutputException extends RuntimeException {
    private final String model;
    private final Path data;
    private final int image;
    private final float logit;
    private final String node;
    private final float nodeValue;

    /**
     * @param model     the model's name (its graph's, or its file and graph's, see {@link #forFile})
     * @param data      the dataset
     * @param image     the image's index in the dataset
     * @param logit     the first non-finite logit of the image
     * @param node      the first graph node whose output is not finite, or null
     * @param nodeValue that node's first non-finite value
     */
    public NonFiniteOutputException(String model, Path data, int image, float logit, String node, float nodeValue) {
        super("model " + model + " gives a non-finite logit (" + logit + ") on image " + image + " of " + data + ": "
                + (node == null ? "node by node every layer's output is finite for that image"
                : "the first layer whose output is not finite is '" + node + "' (" + nodeValue + ")")
                + "; no accuracy can be computed from it");
        this.model = model;
        this.data = data;
        this.image = image;
        this.logit = logit;
        this.node = node;
        this.nodeValue = nodeValue;
    }

    /** The same failure naming the model by its file as well as its graph. */
    public NonFiniteOutputException forFile(Path modelFile) {
        NonFiniteOutputException e = new NonFiniteOutputException(modelFile + " (" + model + ")", data, image, logit,
                node, nodeValue);
        e.initCause(this);
        return e;
    }

    public String model() {
        return model;
    }

    /** The image's index in the dataset. */
    public int image() {
        return image;
    }

    /** The first graph node whose output is not finite, or null where none is. */
    public String node() {
        return node;
    }
}
