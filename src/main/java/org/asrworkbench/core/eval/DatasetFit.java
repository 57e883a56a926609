package org.asrworkbench.core.eval;

import org.asrworkbench.core.data.DatasetFormatException;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.data.PaddedDataset;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;

/**
 * Checks that a dataset fits a model before any image is pushed through it: not empty, the
 * model's channel count and input size (those of its normalisation, after its padding), and no
 * more classes than the model outputs.
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
            throw new DatasetFormatException(data.source(), sizeMismatch(data, norm, graph));
        }
        Node out = graph.output();
        if (out.op() instanceof Op.Linear l && data.numClasses() > l.outFeatures()) {
            throw new DatasetFormatException(data.source(), "the dataset has " + data.numClasses()
                    + " classes, but the model outputs " + l.outFeatures());
        }
    }

    /** The size problem, in the dataset's own image size (before any padding) when the model pads. */
    private static String sizeMismatch(ImageDataset data, Normalization norm, Graph graph) {
        String takes = "the model " + graph.name() + " takes " + norm.height() + "x" + norm.width();
        if (norm.pad() == 0) {
            return "images are " + data.height() + "x" + data.width() + ", but " + takes + " (normalisation '"
                    + norm.name() + "')";
        }
        String padded = takes + " with pad " + norm.pad() + " (" + norm.imageHeight() + "x" + norm.imageWidth()
                + " images, normalisation '" + norm.name() + "')";
        if (data instanceof PaddedDataset p) {
            return "images are " + p.inner().height() + "x" + p.inner().width() + ", but " + padded;
        }
        return "images are " + data.height() + "x" + data.width() + " and not padded, but " + padded
                + "; open them with the model's input (DatasetOptions.withInput) to pad them";
    }
}
