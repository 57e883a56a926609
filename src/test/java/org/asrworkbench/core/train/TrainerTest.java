package org.asrworkbench.core.train;

import ai.djl.Device;
import org.asrworkbench.core.arch.CifarResNet;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.GraphBuilder;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.jobs.CancelledException;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.tensor.StateDict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private static final int SIDE = 8;
    private static final Normalization NORM = new Normalization("synthetic", 1, SIDE, SIDE, new float[] {0.45f},
            new float[] {0.3f}, List.of("top", "bottom"));

    private final Graph graph = CifarResNet.build(8, 1, 2, 4);
    private final SyntheticImages data = new SyntheticImages(64, SIDE, 7);
    private final TrainConfig config = TrainConfig.of(3, 0.05, 16, 11);

    @Test
    void lossDecreasesAndTheProblemIsLearned() throws Exception {
        // Enough steps (40) for the running statistics, which evaluation uses, to settle.
        TrainResult r = new Trainer(graph, TrainConfig.of(10, 0.05, 16, 11), Device.cpu())
                .train(data, data, NORM, null, false, Progress.NONE);
        assertEquals(10, r.history().size());
        assertTrue(r.history().get(9).trainLoss() < 0.5 * r.history().get(0).trainLoss(),
                "loss should fall: " + r.history());
        assertTrue(r.testTop1() >= 0.9, "top-1 " + r.testTop1());
        assertEquals(graph.parameterShapes().keySet(), r.weights().names());
    }

    @Test
    void trainsOnAThreadOtherThanTheOneThatLoadedTheEngine() throws Exception {
        // PyTorch's grad mode is per thread and on by default; the engine turns it off only where it
        // was loaded, so a fresh thread (a workbench job, or a test after the engine was loaded on
        // another thread) must turn it off itself or the SGD step's in-place update fails.
        org.asrworkbench.core.exec.Engines.engine(); // loaded here, on the test's thread
        java.util.concurrent.atomic.AtomicReference<Object> out = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                out.set(new Trainer(graph, TrainConfig.of(1, 0.05, 16, 11), Device.cpu())
                        .train(data, null, NORM, null, false, Progress.NONE));
            } catch (Exception | Error e) {
                out.set(e);
            }
        });
        t.start();
        t.join();
        assertTrue(out.get() instanceof TrainResult, String.valueOf(out.get()));
    }

    @Test
    void resumedRunEndsWhereAnUninterruptedRunEnds(@TempDir Path dir) throws Exception {
        TrainResult whole = new Trainer(graph, config, Device.cpu())
                .train(data, null, NORM, dir.resolve("whole"), false, Progress.NONE);

        Path work = dir.resolve("interrupted");
        CancelAfterFirstEpoch cancel = new CancelAfterFirstEpoch();
        assertThrows(CancelledException.class, () -> new Trainer(graph, config, Device.cpu())
                .train(data, null, NORM, work, false, cancel));
        assertEquals(1, Checkpoint.load(work).epoch());

        TrainResult resumed = new Trainer(graph, config, Device.cpu())
                .train(data, null, NORM, work, true, Progress.NONE);
        assertEquals(1, resumed.resumedFromEpoch());
        assertEquals(3, resumed.history().size());
        assertSameWeights(whole.weights(), resumed.weights());
        assertEquals(whole.history().get(2).trainLoss(), resumed.history().get(2).trainLoss(), 1e-6);
    }

    @Test
    void resumeWithOtherSettingsIsRefusedNamingTheCheckpoint(@TempDir Path dir) throws Exception {
        new Trainer(graph, TrainConfig.of(1, 0.05, 16, 11), Device.cpu())
                .train(data, null, NORM, dir, false, Progress.NONE);
        ModelFormatException e = assertThrows(ModelFormatException.class, () ->
                new Trainer(graph, TrainConfig.of(2, 0.05, 16, 11), Device.cpu())
                        .train(data, null, NORM, dir, true, Progress.NONE));
        assertTrue(e.getMessage().contains(Checkpoint.STATE), e.getMessage());
    }

    @Test
    void dropoutAndIdentityPassGradientsInTraining() throws Exception {
        TrainConfig short2 = TrainConfig.of(2, 0.05, 16, 11);
        TrainResult plain = new Trainer(smallNet(null), short2, Device.cpu())
                .train(data, null, NORM, null, false, Progress.NONE);
        TrainResult withDropout = new Trainer(smallNet(new Op.Dropout(0.2)), short2, Device.cpu())
                .train(data, null, NORM, null, false, Progress.NONE);
        assertSameWeights(plain.weights(), withDropout.weights());
    }

    /** conv-bn-relu6, optionally an identity-like op, then pooling and a linear head. */
    private static Graph smallNet(Op between) {
        GraphBuilder g = new GraphBuilder("small", 1);
        g.conv("conv", 1, 4, 3, 1, 1, 1, false);
        g.bn("bn", 4);
        g.relu6();
        if (between != null) {
            g.add("between", between);
        }
        g.add("pool", new Op.GlobalAvgPool());
        g.add("flatten", new Op.Flatten());
        g.linear("fc", 4, 2, true);
        return g.build();
    }

    @Test
    void cosineScheduleStartsAtThePeakAndEndsAtZero() {
        assertEquals(0.05, config.learningRateAt(0, 100), 1e-12);
        assertEquals(0.025, config.learningRateAt(50, 100), 1e-12);
        assertEquals(0.0, config.learningRateAt(100, 100), 1e-12);
    }

    @Test
    void warmupRampsLinearlyThenFollowsTheCosine() {
        // 3 epochs of 100 steps each, half an epoch of warm-up: 50 steps
        TrainConfig warm = new TrainConfig(3, 0.1, 16, 0.9, 5e-4, 11, 2, true, 0.5);
        assertEquals(0.1 / 50, warm.learningRateAt(0, 300), 1e-12);
        double cos24 = 0.05 * (1 + Math.cos(Math.PI * 24 / 300));
        assertEquals(cos24 * 25 / 50, warm.learningRateAt(24, 300), 1e-12);
        assertEquals(0.05 * (1 + Math.cos(Math.PI * 49 / 300)),
                warm.learningRateAt(49, 300), 1e-12);
        assertEquals(0.05 * (1 + Math.cos(Math.PI * 150 / 300)), warm.learningRateAt(150, 300), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig(3, 0.1, 16, 0.9, 5e-4, 11, 2, true, 4));
    }

    private static void assertSameWeights(StateDict a, StateDict b) {
        assertEquals(a.names(), b.names());
        for (String name : a.names()) {
            assertArrayEquals(a.get(name).data(), b.get(name).data(), 1e-5f, name);
        }
    }

    /** Requests cancellation once the first epoch (and its checkpoint) is done. */
    private static final class CancelAfterFirstEpoch implements Progress {
        private boolean cancelled;

        @Override
        public void update(double fraction, String message) {
            if (message.startsWith("epoch 1/") && message.contains("done")) {
                cancelled = true;
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
