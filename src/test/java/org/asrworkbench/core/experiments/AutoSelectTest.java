package org.asrworkbench.core.experiments;

import ai.djl.Device;
import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.DatasetSplit;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ForwardingDataset;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.eval.Logits;
import org.asrworkbench.core.eval.SelectionScore;
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
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.SequentialPass;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code auto} end to end on the bundled Fashion-MNIST ResNet-20 (small N, fast). */
class AutoSelectTest {
    static final int N = 48;
    static final int N_SEL = 40;
    static final SequentialPass.Config CONFIG = new SequentialPass.Config(16, 1L << 30);
    static LoadedModel model;
    static PruneResult prune;
    static RecordingDataset calib;
    static CalibrationSampler.CalibrationSplit split;

    @BeforeAll
    static void setUp() throws Exception {
        SampleModels.Sample sample = SampleModels.list().stream()
                .filter(s -> s.model().getFileName().toString().equals(SampleModels.DEFAULT)).findFirst().orElseThrow();
        model = ModelLoader.load(sample.model(), null, null);
        prune = Pruner.prune(model.graph(), model.weights(), PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.9));
        calib = new RecordingDataset(Datasets.open(sample.calibImages(), null,
                DatasetOptions.defaults().withInput(model.normalization()).withSplit(DatasetSplit.TRAIN)));
        split = CalibrationSampler.split(calib, N, N_SEL, 0L);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (calib != null) {
            calib.close();
        }
    }

    static RepairSettings asr(double l) {
        return RepairSettings.of(RepairMethod.ASR, "lambda", l);
    }

    @Test
    void chosenCandidateIsExactAndTheSelectionSetIsNeverUsedForStatistics() throws Exception {
        List<RepairSettings> candidates = List.of(RepairSettings.of(RepairMethod.BN_RECAL), asr(0.25), asr(2));
        try (RepairSession s = new RepairSession(model, prune, Device.cpu())) {
            calib.reads.clear();
            AutoResult r = AutoSelect.run(s, calib, split, candidates, CONFIG, 32, null, Progress.NONE);
            Set<Integer> read = new HashSet<>(calib.reads);
            Set<Integer> expected = Arrays.stream(split.calibration()).boxed().collect(Collectors.toSet());
            Set<Integer> selection = Arrays.stream(split.selection()).boxed().collect(Collectors.toSet());
            assertTrue(java.util.Collections.disjoint(expected, selection));
            expected.addAll(selection);
            assertEquals(expected, read, "auto reads the calibration and selection images, nothing else");
            assertTrue(r.hasChoice());
            assertEquals(AutoSelect.choose(r.candidates()), r.chosen());
            for (int i = 0; i < candidates.size(); i++) {
                CandidateScore c = r.candidates().get(i);
                assertFalse(c.isFailed(), c.label() + ": " + c.error());
                assertTrue(c.kl() >= 0 && c.agreement() >= 0 && c.agreement() <= 1);
                assertNull(c.top1());
                // each candidate's statistics are those of its own full pass over the first N images only
                RepairedPass own = s.pass(calib, split.calibration(), candidates.get(i), CONFIG, Progress.NONE);
                assertStatsEqual(own, r.passes().get(i));
                Logits d = Logits.of(s.dense(), Map.of(), calib, split.selection(), model.normalization(), 32,
                        Progress.NONE);
                Logits p = Logits.of(s.pruned(), own.plan().overrides(), calib, split.selection(), model.normalization(),
                        32, Progress.NONE);
                assertEquals(SelectionScore.meanKl(d, p), c.kl(), 0.0);
                assertEquals(SelectionScore.agreement(d, p), c.agreement(), 0.0);
            }
            assertEquals(r.candidates().get(r.chosen()).settings(), r.chosenPass().plan().settings());
            assertEquals(N_SEL, r.selectN());
        }
    }

    @Test
    void failedCandidatesAreReportedAndNeverChosen() throws Exception {
        List<RepairSettings> candidates = List.of(RepairSettings.of(RepairMethod.BN_RECAL),
                RepairSettings.of(RepairMethod.LAYER_WISE), RepairSettings.of(RepairMethod.CHANNEL_WISE), asr(0.25));
        try (RepairSession s = new RepairSession(model, prune, Device.cpu())) {
            // bn-recal throws before its pass (so channel-wise fills D's cache); layer-wise returns NaN logits
            AutoResult r = AutoSelect.run(s, calib, split, candidates, CONFIG, 32, null, Progress.NONE, real -> (c, p) -> {
                if (c.method() == RepairMethod.BN_RECAL) {
                    throw new IllegalStateException("injected failure");
                }
                AutoSelect.Outcome o = real.run(c, p);
                if (c.method() == RepairMethod.LAYER_WISE) {
                    float[] v = o.logits().values().clone();
                    v[3] = Float.NaN;
                    return new AutoSelect.Outcome(o.pass(), new Logits(o.logits().n(), o.logits().k(), v));
                }
                return o;
            });
            assertTrue(r.candidates().get(0).isFailed());
            assertTrue(r.candidates().get(0).error().contains("injected failure"), r.candidates().get(0).error());
            assertTrue(r.candidates().get(1).isFailed());
            assertEquals("non-finite logits on the selection set", r.candidates().get(1).error());
            assertNull(r.passes().get(0));
            assertNull(r.passes().get(1));
            assertTrue(r.chosen() == 2 || r.chosen() == 3, "chosen " + r.chosen());
            Map<?, ?> row = (Map<?, ?>) ((List<?>) r.summary().get("candidates")).get(1);
            assertEquals(true, row.get("failed"));
            assertFalse(row.containsKey("kl"));
        }
    }

    @Test
    void aNanBatchNormGammaFailsEveryCandidate() throws Exception {
        StateDict bad = new StateDict(prune.pruned().asMap());
        Tensor g = bad.require("bn1.weight");
        float[] v = g.data().clone();
        v[0] = Float.NaN;
        bad.put("bn1.weight", new Tensor(g.shape(), v));
        PruneResult nan = new PruneResult(prune.settings(), bad, prune.masks(), prune.requested(), prune.achieved(),
                prune.perLayer());
        try (RepairSession s = new RepairSession(model, nan, Device.cpu())) {
            AutoResult r = AutoSelect.run(s, calib, split, List.of(asr(0.25), RepairSettings.of(RepairMethod.BN_RECAL)),
                    CONFIG, 32, null, Progress.NONE);
            assertFalse(r.hasChoice());
            for (CandidateScore c : r.candidates()) {
                assertTrue(c.isFailed());
                assertNotNull(c.error());
            }
            assertNull(r.summary().get("chosen"));
        }
    }

    static void assertStatsEqual(RepairedPass a, RepairedPass b) {
        assertEquals(a.stats().units().size(), b.stats().units().size());
        for (int i = 0; i < a.stats().units().size(); i++) {
            UnitStats x = a.stats().units().get(i);
            UnitStats y = b.stats().units().get(i);
            assertArrayEquals(x.s2D(), y.s2D(), x.unit());
            assertArrayEquals(x.s2P(), y.s2P(), x.unit());
            assertArrayEquals(x.muP(), y.muP(), x.unit());
            assertArrayEquals(x.rho(), y.rho(), x.unit());
        }
    }

    /** Records every image index read. */
    static final class RecordingDataset extends ForwardingDataset {
        final List<Integer> reads = new java.util.ArrayList<>();

        RecordingDataset(ImageDataset inner) {
            super(inner);
        }

        @Override
        public int[] read(int[] indices, float[] out) throws IOException {
            Arrays.stream(indices).forEach(reads::add);
            return super.read(indices, out);
        }
    }
}
