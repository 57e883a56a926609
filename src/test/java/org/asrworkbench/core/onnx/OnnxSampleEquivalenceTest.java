package org.asrworkbench.core.onnx;

import ai.djl.Device;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.DatasetSplit;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.experiments.RepairSession;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.model.SampleModels;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.UnitRepair;
import org.asrworkbench.core.stats.SequentialPass;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.testing.OnnxFixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The BN-kept ONNX export of the bundled ResNet-20 is the same network with the same weights as
 * its safetensors: the same units, pruning, statistics, repair and top-1.
 */
class OnnxSampleEquivalenceTest {
    static final double TOL = 1e-4;

    @Test
    void bnKeptExportGivesTheSafetensorsStatisticsAndRepair() throws Exception {
        SampleModels.Sample sample = SampleModels.defaultSample().orElseThrow();
        LoadedModel st = ModelLoader.load(sample.model(), null, null);
        LoadedModel onnx = ModelLoader.load(OnnxFixtures.committed("resnet20-w0.5-fashion-bn.onnx"), null, null);
        assertEquals(st.graph().units().size(), onnx.graph().units().size());
        assertEquals(st.parameterCount(), onnx.parameterCount());
        PruneSettings ps = PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.8);
        PruneResult pa = Pruner.prune(st.graph(), st.weights(), ps);
        PruneResult pb = Pruner.prune(onnx.graph(), onnx.weights(), ps);
        assertEquals(pa.prunedWeights(), pb.prunedWeights());
        assertEquals(pa.achieved(), pb.achieved());
        RepairSettings rs = RepairSettings.of(RepairMethod.ASR, "lambda", 0.25);
        SequentialPass.Config cfg = new SequentialPass.Config(32, 1L << 30);
        try (ImageDataset calib = Datasets.open(sample.calibImages(), null,
                DatasetOptions.defaults().withInput(st.normalization()).withSplit(DatasetSplit.TRAIN));
             ImageDataset eval = Datasets.open(sample.evalImages(), null,
                     DatasetOptions.defaults().withInput(st.normalization()));
             RepairSession a = new RepairSession(st, pa, Device.cpu());
             RepairSession b = new RepairSession(onnx, pb, Device.cpu())) {
            int[] idx = CalibrationSampler.indices(calib, 64, 0L);
            org.asrworkbench.core.repair.RepairedPass ra = a.pass(calib, idx, rs, cfg, Progress.NONE);
            org.asrworkbench.core.repair.RepairedPass rb = b.pass(calib, idx, rs, cfg, Progress.NONE);
            List<UnitStats> ua = ra.stats().units();
            List<UnitStats> ub = rb.stats().units();
            for (int u = 0; u < ua.size(); u++) {
                String at = ua.get(u).unit() + " / " + ub.get(u).unit();
                assertClose(ua.get(u).muD(), ub.get(u).muD(), at + " mu_d");
                assertClose(ua.get(u).s2D(), ub.get(u).s2D(), at + " s2_d");
                assertClose(ua.get(u).muP(), ub.get(u).muP(), at + " mu_p");
                assertClose(ua.get(u).s2P(), ub.get(u).s2P(), at + " s2_p");
                assertClose(ua.get(u).rho(), ub.get(u).rho(), at + " rho");
                UnitRepair xa = ra.plan().units().get(u);
                UnitRepair xb = rb.plan().units().get(u);
                assertArrayEquals(xa.gain(), xb.gain(), 1e-4f, at + " gain");
            }
            int[] first = java.util.stream.IntStream.range(0, 500).toArray();
            EvalResult ea = a.evaluatePruned(ra.plan().overrides(), eval, first, 100, Progress.NONE);
            EvalResult eb = b.evaluatePruned(rb.plan().overrides(), eval, first, 100, Progress.NONE);
            assertEquals(ea.top1(), eb.top1(), 1e-9);
            assertEquals(a.evaluateDense(eval, first, 100, Progress.NONE).top1(),
                    b.evaluateDense(eval, first, 100, Progress.NONE).top1(), 1e-9);
        }
    }

    private static void assertClose(double[] a, double[] b, String what) {
        assertEquals(a.length, b.length, what);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], TOL * Math.max(1, Math.abs(a[i])), what + " channel " + i);
        }
    }
}
