package org.asrworkbench.core.eval;

import org.asrworkbench.core.data.DatasetFormatException;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;

/**
 * Checks that a dataset fits a model before any image is pushed through it: not empty, the
 * model's channel count and input size (those of its normalisation), and no more classes than
 * the model outputs.
 */
public final class DatasetFit {
    private DatasetFit() {
    }

    public static void check(ImageDataset data, Normalization norm, Graph graph) throws DatasetFormatException {
        if (data.size() == 0) {
            throw new DatasetFormatException(data.source(), "the dataset is empty");
        }
        if (data.channels() != graph.inputChannels()) {
            throw new DatasetFormatException(data.source(), "images have " + data.channels()
                    + " channel(s), but the model " + graph.name() + " takes " + graph.inputChannels());
        }
        if (data.channels() != norm.channels()) {
            throw new DatasetFormatException(data.source(), "images have " + data.channels()
                    + " channel(s), but the normalisation '" + norm.name() + "' is for " + norm.channels());
        }
        if (data.height() != norm.height() || data.width() != norm.width()) {
            throw new DatasetFormatException(data.source(), "images are " + data.height() + "x" + data.width()
                    + ", but the model " + graph.name() + " takes " + norm.height() + "x" + norm.width()
                    + " (normalisation '" + norm.name() + "')");
        }
        Node out = graph.output();
        if (out.op() instanceof Op.Linear l && data.numClasses() > l.outFeatures()) {
            throw new DatasetFormatException(data.source(), "the dataset has " + data.numClasses()
                    + " classes, but the model outputs " + l.outFeatures());
        }
    }
}
