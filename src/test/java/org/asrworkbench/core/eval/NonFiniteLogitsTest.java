package org.asrworkbench.core.eval;

import ai.djl.Device;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.export.ModelExport;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.testing.HugeWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model whose weights are finite but whose logits are not (two convolutions scaled by 1e36):
 * before, every NaN logit ranked the label first and the evaluation reported top-1 1.0. Now the
 * evaluation fails, naming the model, the first image and the first layer whose output is not
 * finite, found node by node with the general executor after the fast path saw the NaN.
 */
class NonFiniteLogitsTest {
    @TempDir
    Path dir;

    private static final int[] FROM_IMAGE_3 = {3, 4, 5, 6, 7, 8};

    private static NonFiniteOutputException evaluate(LoadedModel m, Map<String, BnOverride> overrides) throws Exception {
        try (ImageDataset data = Datasets.open(HugeWeights.testImages(), null,
                DatasetOptions.defaults().withInput(m.normalization()));
             Executor exec = new Executor(m.graph(), m.weights(), Device.cpu())) {
            return assertThrows(NonFiniteOutputException.class, () -> Evaluator.evaluate(exec, overrides, data,
                    FROM_IMAGE_3, m.normalization(), 4, Progress.NONE));
        }
    }

    private static void assertNames(NonFiniteOutputException e) {
        assertEquals(3, e.image(), "the first evaluated image's index in the dataset");
        assertEquals(HugeWeights.SECOND, e.node(), e.getMessage());
        assertTrue(e.getMessage().contains("model resnet20 "), e.getMessage());
        assertTrue(e.getMessage().contains("image 3 of " + HugeWeights.testImages()), e.getMessage());
        assertTrue(e.getMessage().contains("'" + HugeWeights.SECOND + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void nanLogitsFailTheEvaluationNamingModelImageAndLayer() throws Exception {
        LoadedModel m = ModelLoader.load(HugeWeights.write(dir, "huge.safetensors"), null, null);
        assertNames(evaluate(m, Map.of()));
    }

    @Test
    void nanLogitsWithBatchNormOverridesFailToo() throws Exception {
        // the pruned network's path: overrides on every BN (here the checkpoint's own statistics, gain 1)
        LoadedModel m = ModelLoader.load(HugeWeights.write(dir, "huge.safetensors"), null, null);
        Map<String, BnOverride> overrides = new java.util.HashMap<>();
        for (String bn : new String[] {"bn1", "layer1.0.bn1", "layer1.0.bn2"}) {
            float[] mean = m.weights().require(bn + ".running_mean").data();
            float[] var = m.weights().require(bn + ".running_var").data();
            float[] gain = new float[mean.length];
            java.util.Arrays.fill(gain, 1f);
            overrides.put(bn, new BnOverride(mean, var, gain));
        }
        assertNames(evaluate(m, overrides));
    }

    @Test
    void anExportIsNeverWrittenFromNonFiniteParameters() throws Exception {
        LoadedModel m = ModelLoader.load(HugeWeights.sample(), null, null);
        StateDict repaired = m.weights().copy();
        float[] gamma = repaired.require("layer2.0.bn1.weight").data().clone();
        gamma[5] = Float.NaN;
        repaired.put("layer2.0.bn1.weight", new Tensor(new long[] {gamma.length}, gamma));
        Path out = dir.resolve("repaired.safetensors");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelExport.write(m, repaired, out));
        assertTrue(e.getMessage().contains("'layer2.0.bn1.weight'"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(Files.exists(out), "no model written");
        assertFalse(Files.exists(org.asrworkbench.core.data.ModelSidecar.pathFor(out)), "no sidecar written");
    }
}
