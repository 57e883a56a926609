package org.asrworkbench.robustness;

import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.testing.HugeWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workbench on a model whose logits are NaN (finite weights, two convolutions scaled by 1e36):
 * the evaluation job fails through the ordinary job failure path (the error sink is the dialog),
 * with the model, image and layer in the message, and records no run.
 */
class NonFiniteJobTest {
    @TempDir
    Path dir;

    @Test
    void evaluationJobFailsWithTheMessageInADialog() throws Exception {
        Path huge = HugeWeights.write(dir, "huge.safetensors");
        Bench bench = new Bench();
        bench.model.normalizationProperty().set(Bench.NORM);
        assertTrue(bench.models.openModel(huge));
        assertTrue(bench.models.openEvalDataset(Bench.EVAL_IMAGES));
        assertTrue(bench.models.openCalibDataset(Bench.CALIB_IMAGES));
        assertEquals(List.of(), bench.errors);
        bench.model.calibNProperty().set(32);
        bench.model.evalLimitProperty().set(64);
        bench.repair.applyAndEvaluate();
        assertEquals(JobStatus.FAILED, bench.model.jobStatusProperty().get());
        assertEquals(1, bench.errors.size(), bench.errors.toString());
        String message = bench.errors.get(0);
        assertTrue(message.contains("model " + huge + " (resnet20) gives a non-finite logit (NaN) on image 0"), message);
        assertTrue(message.contains("'" + HugeWeights.SECOND + "'"), message);
        assertEquals(List.of(), bench.model.getRuns(), "no run recorded");
    }
}
