package org.asrworkbench.core.experiments;

import ai.djl.Device;
import org.asrworkbench.core.data.CifarBinaryDataset;
import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.Preview;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.repair.UnitRepair;
import org.asrworkbench.core.repair.rule.RuleMethod;
import org.asrworkbench.core.stats.SequentialPass;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code rules/asr.json} (the spec's example) is the built-in {@code asr}: on every unit of the
 * shared ResNet-20 at global-magnitude 0.9 (512 calibration images, lambda 0.5), every gain and
 * every {@code w} agree to 1e-12 relative, both on the built-in pass's statistics and along the
 * rule's own exact pass; and the two repaired networks have the same top-1 on 2000 test images.
 */
class RuleReproducesAsrTest {
    private static void assertRel(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-12 * Math.abs(expected), what);
    }

    private static void assertSamePlan(RepairPlan builtin, RepairPlan rule) {
        assertEquals(builtin.units().size(), rule.units().size());
        for (int i = 0; i < builtin.units().size(); i++) {
            UnitRepair b = builtin.units().get(i);
            UnitRepair r = rule.units().get(i);
            assertEquals(b.unit(), r.unit());
            for (int c = 0; c < b.channels(); c++) {
                String at = b.unit() + "[" + c + "]";
                assertRel(b.gain()[c], r.gain()[c], at + " gain");
                assertRel(b.value("w")[c], r.value("w")[c], at + " w");
                assertEquals(b.mean()[c], r.mean()[c], at + " mean");
                assertEquals(b.var()[c], r.var()[c], at + " var");
            }
        }
    }

    @Test
    void theAsrRuleReproducesTheBuiltInOnTheSharedResNet20() throws Exception {
        LoadedModel model = ModelLoader.load(SharedData.resnet20Th(), null, "cifar");
        var prune = Pruner.prune(model.graph(), model.weights(), PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.9));
        RuleMethod rule = RuleMethod.load(Path.of("rules/asr.json"));
        RepairSettings builtin = RepairSettings.of(RepairMethod.ASR, "lambda", 0.5);
        RepairSettings asRule = RepairSettings.of(rule, "lambda", 0.5);
        int[] calibIdx = IntStream.range(0, 512).toArray();
        SequentialPass.Config config = new SequentialPass.Config(128, 1L << 30);
        try (RepairSession session = new RepairSession(model, prune, Device.cpu());
             CifarBinaryDataset calib = new CifarBinaryDataset(SharedData.cifarCalib(), false, Normalization.CIFAR10_CLASSES);
             CifarBinaryDataset test = new CifarBinaryDataset(SharedData.cifarTest(), false, Normalization.CIFAR10_CLASSES)) {
            RepairedPass b = session.pass(calib, calibIdx, builtin, config, Progress.NONE);
            assertSamePlan(b.plan(), Preview.preview(b.stats(), asRule));
            RepairedPass r = session.pass(calib, calibIdx, asRule, config, Progress.NONE);
            assertSamePlan(b.plan(), r.plan());
            int[] evalIdx = EvaluationSampler.firstK(test, 2000);
            double top1Builtin = session.evaluatePruned(b.plan().overrides(), test, evalIdx, 250, Progress.NONE).top1();
            double top1Rule = session.evaluatePruned(r.plan().overrides(), test, evalIdx, 250, Progress.NONE).top1();
            assertEquals(top1Builtin, top1Rule);
        }
    }
}
