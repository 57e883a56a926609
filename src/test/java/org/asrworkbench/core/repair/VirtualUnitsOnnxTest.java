package org.asrworkbench.core.repair;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.data.BatchReader;
import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.DatasetSplit;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.exec.InferencePlan;
import org.asrworkbench.core.experiments.RepairSession;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.model.SampleModels;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.stats.SequentialPass;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.testing.FloatImages;
import org.asrworkbench.testing.OnnxFixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Virtual units on a real BN-folded export (the bundled sample's committed ONNX, no shared data):
 * every conv is a virtual unit, the repair changes the pruned network's output, and the export
 * fold, re-run with no override, gives the repaired network's logits.
 */
class VirtualUnitsOnnxTest {
    private static final int IMAGES = 48;

    @Test
    void theFoldedRepairOfABnFoldedExportReproducesItsLogits() throws Exception {
        SampleModels.Sample sample = SampleModels.defaultSample().orElseThrow(() ->
                new AssertionError("the bundled sample-models/ folder is missing"));
        LoadedModel m = ModelLoader.load(OnnxFixtures.committed("resnet20-w0.5-fashion-folded.onnx"), null, null);
        Graph g = m.graph();
        assertEquals(0, g.units(UnitSelection.BN).size());
        assertEquals(19, g.units().size());
        DatasetOptions opts = DatasetOptions.defaults().withInput(m.normalization());
        PruneResult pr = Pruner.prune(g, m.weights(), PruneSettings.of(PruneKind.LAYER_UNIFORM, 0.7));
        try (ImageDataset calib = Datasets.open(sample.calibImages(), null, opts.withSplit(DatasetSplit.TRAIN));
             ImageDataset eval = Datasets.open(sample.evalImages(), null, opts.withSplit(DatasetSplit.TEST));
             RepairSession s = new RepairSession(m, pr, Device.cpu())) {
            int[] idx = CalibrationSampler.indices(calib, 128, 0L);
            RepairedPass pass = s.pass(calib, idx, RepairSettings.of(RepairMethod.ASR), new SequentialPass.Config(64,
                    1L << 30), Progress.NONE);
            assertTrue(pass.stats().units().stream().allMatch(UnitStats::isVirtual));
            RepairPlan plan = pass.plan();
            float[] pruned = logits(s.pruned(), Map.of(), eval, m);
            float[] repaired = logits(s.pruned(), plan.overrides(), eval, m);
            assertTrue(maxDiff(pruned, repaired) > 1e-2, "the repair changes the output");
            // the evaluation's inference plan applies the virtual BNs as the executor does
            try (InferencePlan ip = InferencePlan.of(s.pruned(), plan.overrides())) {
                float[] viaPlan = logits(ip::forward, s.pruned(), eval, m);
                assertTrue(maxDiff(repaired, viaPlan) <= 1e-4 * scale(repaired), "plan logits differ by "
                        + maxDiff(repaired, viaPlan));
            }
            StateDict folded = RepairExport.repairedWeights(g, pr.pruned(), plan);
            try (Executor f = new Executor(RepairExport.foldedGraph(g, folded), folded, Device.cpu())) {
                float[] re = logits(f, Map.of(), eval, m);
                assertTrue(maxDiff(repaired, re) <= 1e-5 * scale(repaired), "folded logits differ by "
                        + maxDiff(repaired, re) + " at scale " + scale(repaired));
            }
        }
    }

    @Test
    void aDenseNetExportsConcatFedBatchNormsAreUnitsThePassRepairs() throws Exception {
        LoadedModel m = ModelLoader.load(OnnxFixtures.committed("tiny-densenet-bn.onnx"), null, "cifar");
        Graph g = m.graph();
        List<Unit> concatFed = g.units().stream()
                .filter(u -> g.node(u.reads()).op() instanceof Op.Concat).toList();
        assertTrue(concatFed.size() >= 2, "BNs after a Concat: " + concatFed);
        for (Unit u : concatFed) {
            assertEquals(u.bn(), u.name(), "named after the BN");
            assertEquals(null, u.layerNode());
        }
        long[] in = g.inputShape();
        FloatImages data = FloatImages.random(6, (int) in[1],
                (int) in[2], (int) in[3], 3);
        PruneResult pr = Pruner.prune(g, m.weights(), PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.5));
        try (Executor d = new Executor(g, m.weights(), Device.cpu()); Executor p = new Executor(g, pr.pruned(),
                Device.cpu())) {
            RepairedPass pass = RepairedPass.run(new SequentialPass(d, p, m.weights(), new SequentialPass.Config(3,
                    1L << 30)), data, java.util.stream.IntStream.range(0, 6).toArray(), null,
                    RepairSettings.of(RepairMethod.ASR), Progress.NONE, null);
            assertEquals(g.units().size(), pass.stats().units().size());
            for (Unit u : concatFed) {
                UnitStats s = pass.stats().unit(u.name());
                assertEquals(u.channels(), s.channels());
                assertTrue(!s.isVirtual() && s.R() > 0 && s.R() < 2, u.name() + " R " + s.R());
            }
        }
    }

    private static double scale(float[] a) {
        double s = 0;
        for (float v : a) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static float[] logits(Executor e, Map<String, BnOverride> overrides, ImageDataset data, LoadedModel m)
            throws Exception {
        return logits(x -> e.forward(x, overrides, Set.of(), null), e, data, m);
    }

    private static float[] logits(java.util.function.UnaryOperator<NDArray> forward, Executor e, ImageDataset data,
                                  LoadedModel m) throws Exception {
        int[] idx = java.util.stream.IntStream.range(0, IMAGES).toArray();
        float[][] out = new float[1][];
        new BatchReader(data, m.normalization(), IMAGES).forEach(idx, b -> {
            try (NDManager nm = e.manager().newSubManager()) {
                NDArray x = e.input(nm, b.pixels(), b.size(), data.channels(), data.height(), data.width());
                out[0] = Executor.toFloats(forward.apply(x));
            }
        }, null);
        return out[0];
    }
}
