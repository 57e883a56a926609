package org.asrworkbench.core.stats;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.asrworkbench.core.arch.CifarResNet;
import org.asrworkbench.core.data.CifarBinaryDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.io.SafetensorsReader;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer-major pass on the shared ResNet-20: exact whatever the chunk size, equal to a batch-major forward. */
class SequentialPassTest {
    static final int N = 40;
    static Graph graph;
    static StateDict dense;
    static PruneResult pruned;
    static CifarBinaryDataset calib;
    static Executor execD;
    static Executor execP;
    static final Normalization NORM = Normalization.preset("cifar");
    static final int[] IDX = java.util.stream.IntStream.range(0, N).toArray();

    @BeforeAll
    static void setUp() throws Exception {
        dense = SafetensorsReader.read(SharedData.resnet20Safetensors());
        graph = CifarResNet.build(20, 3, 10);
        pruned = Pruner.prune(graph, dense, new PruneSettings(PruneKind.GLOBAL_MAGNITUDE, 0.9, false, false));
        calib = new CifarBinaryDataset(SharedData.cifarCalib(), false, Normalization.CIFAR10_CLASSES);
        execD = new Executor(graph, dense, Device.cpu());
        execP = new Executor(graph, pruned.pruned(), Device.cpu());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (execD != null) {
            execD.close();
            execP.close();
            calib.close();
        }
    }

    private static RepairedPass pass(int chunk, long budget, RepairSettings s) throws Exception {
        return RepairedPass.run(new SequentialPass(execD, execP, dense, new SequentialPass.Config(chunk, budget)),
                calib, IDX, NORM, s, Progress.NONE, null);
    }

    @Test
    void chunkSizeDoesNotChangeTheStatistics() throws Exception {
        RepairSettings asr = RepairSettings.of(RepairMethod.ASR, "lambda", 0.25);
        NetworkStats whole = pass(N, 1L << 30, asr).stats();
        for (int chunk : new int[] {1, 7}) {
            NetworkStats s = pass(chunk, 1L << 30, asr).stats();
            assertStatsClose(whole, s, 2e-4);
        }
    }

    @Test
    void spillingToDiskGivesTheSameStatistics() throws Exception {
        RepairSettings asr = RepairSettings.of(RepairMethod.ASR, "lambda", 0.25);
        RepairedPass inMemory = pass(8, 1L << 30, asr);
        RepairedPass spilled = pass(8, 0, asr);
        assertEquals(0, inMemory.spilledBytes());
        assertTrue(spilled.spilledBytes() > 0);
        assertStatsClose(inMemory.stats(), spilled.stats(), 1e-9);
    }

    @Test
    void batchMajorForwardWithTheFinalRepairReproducesTheStatistics() throws Exception {
        RepairedPass r = pass(16, 1L << 30, RepairSettings.of(RepairMethod.ASR, "lambda", 0.5));
        List<Unit> units = graph.units();
        Map<String, ChannelMoments> moments = new HashMap<>();
        units.forEach(u -> moments.put(u.layerNode(), new ChannelMoments(u.channels())));
        java.util.Set<String> taps = units.stream().map(Unit::layerNode).collect(Collectors.toSet());
        int per = 3 * 32 * 32;
        for (int s = 0; s < N; s += 10) {
            float[] px = new float[10 * per];
            calib.read(java.util.Arrays.copyOfRange(IDX, s, s + 10), px);
            NORM.apply(px, 10);
            Map<String, float[]> zd = new HashMap<>();
            try (NDManager m = execD.manager().newSubManager()) {
                NDArray x = m.create(px, new Shape(10, 3, 32, 32));
                execD.forward(x, Map.of(), taps, (id, v) -> zd.put(id, v.toFloatArray()));
                execP.forward(x, r.plan().overrides(), taps, (id, v) -> {
                    ChannelMoments cm = moments.get(id);
                    float[] d = zd.get(id);
                    cm.addValues(d, v.toFloatArray(), 10, cm.channels(), d.length / (10 * cm.channels()));
                });
            }
        }
        for (Unit u : units) {
            UnitStats pass = r.stats().unit(u.name());
            ChannelMoments cm = moments.get(u.layerNode());
            assertArrayClose(pass.s2D(), cm.s2D(), 2e-4, u.name() + " s2_d");
            assertArrayClose(pass.s2P(), cm.s2P(), 2e-4, u.name() + " s2_p");
            assertArrayClose(pass.muP(), cm.muP(), 2e-4, u.name() + " mu_p");
            assertArrayClose(pass.rho(), cm.rho(), 2e-4, u.name() + " rho");
        }
    }

    @Test
    void aDenseCacheGivesExactlyTheStatisticsOfAFullPass() throws Exception {
        SequentialPass.Config config = new SequentialPass.Config(16, 1L << 30);
        for (long cacheBudget : new long[] {1L << 30, 0}) {
            try (DenseCache cache = new DenseCache(execD.manager(), cacheBudget)) {
                SequentialPass sp = new SequentialPass(execD, execP, dense, config);
                RepairSettings first = RepairSettings.of(RepairMethod.BN_RECAL);
                RepairedPass filled = RepairedPass.run(sp, calib, IDX, NORM, first, Progress.NONE, cache);
                assertTrue(cache.filled());
                assertEquals(cacheBudget == 0, cache.spilledBytes() > 0);
                assertStatsClose(pass(16, 1L << 30, first).stats(), filled.stats(), 0);
                for (RepairSettings s : List.of(RepairSettings.of(RepairMethod.ASR, "lambda", 1.0),
                        RepairSettings.of(RepairMethod.CHANNEL_WISE))) {
                    RepairedPass reused = RepairedPass.run(sp, calib, IDX, NORM, s, Progress.NONE, cache);
                    assertStatsClose(pass(16, 1L << 30, s).stats(), reused.stats(), 0);
                }
            }
        }
    }

    @Test
    void aDenseCacheIsRefilledForOtherImagesOrChunksAndEmptiedByAFailedFill() throws Exception {
        SequentialPass sp = new SequentialPass(execD, execP, dense, new SequentialPass.Config(16, 1L << 30));
        RepairSettings asr = RepairSettings.of(RepairMethod.ASR, "lambda", 0.25);
        try (DenseCache cache = new DenseCache(execD.manager(), 1L << 30)) {
            Progress cancelling = new Progress() {
                private int updates;

                @Override
                public void update(double fraction, String message) {
                    updates++;
                }

                @Override
                public boolean isCancelled() {
                    return updates > 5;
                }
            };
            assertThrows(org.asrworkbench.core.jobs.CancelledException.class,
                    () -> RepairedPass.run(sp, calib, IDX, NORM, asr, cancelling, cache));
            assertFalse(cache.filled());
            RepairedPass.run(sp, calib, IDX, NORM, asr, Progress.NONE, cache);
            int[] other = java.util.stream.IntStream.range(1, N + 1).toArray();
            SequentialPass full = new SequentialPass(execD, execP, dense, new SequentialPass.Config(16, 1L << 30));
            assertStatsClose(RepairedPass.run(full, calib, other, NORM, asr, Progress.NONE, null).stats(), RepairedPass.run(sp, calib, other, NORM, asr,
                    Progress.NONE, cache).stats(), 0);
            assertTrue(cache.filled());
            SequentialPass otherChunks = new SequentialPass(execD, execP, dense, new SequentialPass.Config(8, 1L << 30));
            assertStatsClose(RepairedPass.run(otherChunks, calib, IDX, NORM, asr, Progress.NONE, null).stats(),
                    RepairedPass.run(otherChunks, calib, IDX, NORM, asr, Progress.NONE, cache).stats(), 0);
            assertEquals(3, cache.fills(), "other images, then other chunks: filled again each time");
            cache.invalidate();
            assertFalse(cache.filled());
        }
    }

    @Test
    void aDeviceCacheServesPassesOfOtherPruningsAndSessionsBitForBit() throws Exception {
        SequentialPass.Config config = new SequentialPass.Config(8, 1L << 30);
        int[] idx = java.util.Arrays.copyOf(IDX, 16);
        RepairSettings asr = RepairSettings.of(RepairMethod.ASR, "lambda", 0.25);
        try (DenseCache cache = new DenseCache(Device.cpu(), 1L << 19)) {
            for (PruneSettings ps : List.of(PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.5),
                    PruneSettings.of(PruneKind.FILTER_L1, 0.3))) {
                PruneResult p = Pruner.prune(graph, dense, ps);
                try (Executor d = new Executor(graph, dense, Device.cpu());
                     Executor pe = new Executor(graph, p.pruned(), Device.cpu())) {
                    SequentialPass sp = new SequentialPass(d, pe, dense, config);
                    NetworkStats cached = RepairedPass.run(sp, calib, idx, NORM, asr, Progress.NONE, cache).stats();
                    assertStatsClose(RepairedPass.run(sp, calib, idx, NORM, asr, Progress.NONE, null).stats(), cached, 0);
                }
            }
            assertEquals(1, cache.fills(), "D ran once for both prunings");
            assertTrue(cache.spilledBytes() > 0, "a 512 KiB budget spills");
            // another dense network (a copy of the weights) is another model: the cache is filled again
            StateDict copy = dense.copy();
            try (Executor d = new Executor(graph, copy, Device.cpu())) {
                SequentialPass sp = new SequentialPass(d, execP, copy, config);
                assertStatsClose(RepairedPass.run(sp, calib, idx, NORM, asr, Progress.NONE, null).stats(),
                        RepairedPass.run(sp, calib, idx, NORM, asr, Progress.NONE, cache).stats(), 0);
            }
            assertEquals(2, cache.fills());
        }
    }

    static void assertStatsClose(NetworkStats a, NetworkStats b, double tol) {
        assertEquals(a.units().size(), b.units().size());
        for (int i = 0; i < a.units().size(); i++) {
            UnitStats x = a.units().get(i);
            UnitStats y = b.units().get(i);
            assertEquals(x.unit(), y.unit());
            assertArrayClose(x.muD(), y.muD(), tol, x.unit() + " mu_d");
            assertArrayClose(x.s2D(), y.s2D(), tol, x.unit() + " s2_d");
            assertArrayClose(x.muP(), y.muP(), tol, x.unit() + " mu_p");
            assertArrayClose(x.s2P(), y.s2P(), tol, x.unit() + " s2_p");
            assertArrayClose(x.rho(), y.rho(), tol, x.unit() + " rho");
        }
    }

    /** Relative to the array's scale (max |value|), so near-zero entries do not dominate. */
    static void assertArrayClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 1e-12;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], rel * scale, what + "[" + i + "]");
        }
    }
}
