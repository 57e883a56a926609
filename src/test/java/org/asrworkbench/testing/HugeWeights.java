package org.asrworkbench.testing;

import org.asrworkbench.core.data.ModelSidecar;
import org.asrworkbench.core.io.SafetensorsReader;
import org.asrworkbench.core.io.SafetensorsWriter;
import org.asrworkbench.core.model.SampleModels;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bundled ResNet-20 sample with two convolutions' weights multiplied by {@value #FACTOR}: every
 * weight is finite (the loader accepts it), but the second convolution's output overflows to
 * infinity and the logits come out NaN.
 */
public final class HugeWeights {
    public static final double FACTOR = 1e36;
    /** The convolutions whose weights are scaled; the second is the first layer whose output is non-finite. */
    public static final String FIRST = "conv1", SECOND = "layer1.0.conv1";

    private HugeWeights() {
    }

    /** The bundled sample model file. */
    public static Path sample() {
        return SampleModels.directory().orElseThrow().resolve(SampleModels.DEFAULT);
    }

    /** The bundled sample's test images (2000 Fashion-MNIST images). */
    public static Path testImages() {
        return SampleModels.directory().orElseThrow().resolve("fashion-mnist/fashion-test-2000-images-idx3-ubyte.gz");
    }

    /** The bundled sample's calibration images. */
    public static Path calibImages() {
        return SampleModels.directory().orElseThrow().resolve("fashion-mnist/fashion-calib-2000-images-idx3-ubyte.gz");
    }

    /** Writes the scaled model (and the sample's sidecar beside it) to {@code dir/name}. */
    public static Path write(Path dir, String name) throws Exception {
        StateDict sd = SafetensorsReader.read(sample());
        for (String conv : new String[] {FIRST, SECOND}) {
            Tensor w = sd.require(conv + ".weight");
            float[] scaled = w.data().clone();
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] = (float) (scaled[i] * FACTOR);
            }
            sd.put(conv + ".weight", new Tensor(w.shape(), scaled));
        }
        Path out = dir.resolve(name);
        SafetensorsWriter.write(out, sd, sd.metadata());
        copySidecar(out);
        return out;
    }

    private static void copySidecar(Path model) throws IOException {
        Files.copy(ModelSidecar.pathFor(sample()), ModelSidecar.pathFor(model));
    }
}
