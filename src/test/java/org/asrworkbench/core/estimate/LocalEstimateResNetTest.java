package org.asrworkbench.core.estimate;

import ai.djl.Device;
import org.asrworkbench.core.arch.CifarResNet;
import org.asrworkbench.core.data.CifarBinaryDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.io.SafetensorsReader;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.SequentialPass;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** On the shared ResNet-20 the estimate of the first unit is the pass's retention, for the same mask and images. */
class LocalEstimateResNetTest {

    @Test
    void firstUnitEqualsThePassOnResNet20() throws Exception {
        StateDict dense = SafetensorsReader.read(SharedData.resnet20Safetensors());
        Graph graph = CifarResNet.build(20, 3, 10);
        Normalization norm = Normalization.preset("cifar");
        int[] idx = IntStream.range(0, 48).toArray();
        try (CifarBinaryDataset calib = new CifarBinaryDataset(SharedData.cifarCalib(), false,
                Normalization.CIFAR10_CLASSES); Executor d = new Executor(graph, dense, Device.cpu())) {
            InputCovariances cov = CovarianceGatherer.gather(d, calib, idx, norm, 16, 1L << 30, Progress.NONE);
            LocalEstimate est = new LocalEstimate(graph, dense, cov);
            for (PruneSettings s : List.of(PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.9),
                    PruneSettings.of(PruneKind.LAYER_UNIFORM, 0.7))) {
                PruneResult p = Pruner.prune(graph, dense, s);
                NetworkStats stats;
                try (Executor pe = new Executor(graph, p.pruned(), Device.cpu())) {
                    stats = RepairedPass.run(new SequentialPass(d, pe, dense, new SequentialPass.Config(16, 1L << 30)),
                            calib, idx, norm, RepairSettings.of(RepairMethod.ASR), Progress.NONE, null).stats();
                }
                List<UnitEstimate> e = est.update(p.masks());
                assertEquals(stats.units().stream().map(UnitStats::unit).toList(), e.stream().map(UnitEstimate::unit).toList(),
                        "the pass's unit order and names");
                UnitStats first = stats.units().get(0);
                double[] r = first.r();
                for (int c = 0; c < r.length; c++) {
                    assertEquals(r[c], e.get(0).rEst()[c], 2e-4 * r[c], s + " conv1 channel " + c);
                }
                assertEquals(first.R(), e.get(0).R(), 2e-4 * first.R());
            }
        }
    }
}
