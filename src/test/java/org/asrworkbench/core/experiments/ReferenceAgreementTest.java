package org.asrworkbench.core.experiments;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.asrworkbench.core.data.CifarBinaryDataset;
import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.SequentialPass;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared reference setting (ResNet-20, global-magnitude 0.9, first 512 calibration images,
 * first 2000 test images): statistics within 1e-3 of the independent implementation on channels
 * that are not collapsed, and top-1 within two images for every method of its table.
 */
class ReferenceAgreementTest {
    static LoadedModel model;
    static RepairSession session;
    static CifarBinaryDataset calib;
    static CifarBinaryDataset test;
    static int[] calibIdx = IntStream.range(0, 512).toArray();
    static int[] evalIdx;

    @BeforeAll
    static void setUp() throws Exception {
        model = ModelLoader.load(SharedData.resnet20Th(), null, "cifar");
        var prune = Pruner.prune(model.graph(), model.weights(), PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.9));
        session = new RepairSession(model, prune, Device.cpu());
        calib = new CifarBinaryDataset(SharedData.cifarCalib(), false, Normalization.CIFAR10_CLASSES);
        test = new CifarBinaryDataset(SharedData.cifarTest(), false, Normalization.CIFAR10_CLASSES);
        evalIdx = EvaluationSampler.firstK(test, 2000);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (session != null) {
            session.close();
            calib.close();
            test.close();
        }
    }

    @ParameterizedTest(name = "{0} lambda {1}: top-1 {2}")
    @CsvSource({"none,0,0.1125", "bn-recal,0,0.3405", "layer-wise,0,0.3425", "channel-wise,0,0.3795",
            "asr,0.25,0.3850", "asr,1,0.3790", "asr,4,0.3695"})
    void topOneAgreesWithTheReferenceTable(String method, double lambda, double expected) throws Exception {
        RepairMethod m = RepairMethods.parse(method);
        RepairSettings s = m.param("lambda") == null ? RepairSettings.of(m) : RepairSettings.of(m, "lambda", lambda);
        RepairedPass r = session.pass(calib, calibIdx, s, new SequentialPass.Config(128, 1L << 30), Progress.NONE);
        double top1 = session.evaluatePruned(r.plan().overrides(), test, evalIdx, 250, Progress.NONE).top1();
        assertEquals(expected, top1, 2.0 / 2000 + 1e-9, method + " " + lambda);
    }

    @Test
    void statisticsAgreeWithTheReferenceFile() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(
                SharedData.require("reference/resnet20-gm0.9-asr0.5-n512.json").toFile());
        RepairedPass r = session.pass(calib, calibIdx, RepairSettings.of(RepairMethod.ASR, "lambda", 0.5),
                new SequentialPass.Config(100, 1L << 30), Progress.NONE);
        assertEquals(ref.get("units").size(), r.stats().units().size());
        for (JsonNode ru : ref.get("units")) {
            UnitStats u = r.stats().unit(ru.get("unit").asText());
            assertEquals(ru.get("R").asDouble(), u.R(), 1e-3 * ru.get("R").asDouble(), u.unit() + " R");
            Map<String, double[]> ours = Map.of("mu_d", u.muD(), "s2_d", u.s2D(), "mu_p", u.muP(), "s2_p", u.s2P(),
                    "rho", u.rho(), "r", u.r());
            double maxS2d = 0;
            for (JsonNode v : ru.get("s2_d")) {
                maxS2d = Math.max(maxS2d, v.asDouble());
            }
            for (var e : ours.entrySet()) {
                JsonNode refArr = ru.get(e.getKey());
                double scale = 1e-12;
                for (JsonNode v : refArr) {
                    scale = Math.max(scale, Math.abs(v.asDouble()));
                }
                for (int c = 0; c < refArr.size(); c++) {
                    if (ru.get("s2_p").get(c).asDouble() <= 1e-6 * maxS2d) {
                        continue; // collapsed: values are float32 round-off
                    }
                    double diff = Math.abs(refArr.get(c).asDouble() - e.getValue()[c]);
                    assertTrue(diff <= 1e-3 * scale, u.unit() + " " + e.getKey() + "[" + c + "]: reference "
                            + refArr.get(c).asDouble() + ", ours " + e.getValue()[c]);
                }
            }
        }
    }
}
