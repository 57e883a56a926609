package org.asrworkbench.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.data.BatchReader;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.experiments.RepairSession;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.MethodParam;
import org.asrworkbench.core.repair.Preview;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.DenseCache;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.SequentialPass;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures, in one run, the sequential statistics + repair pass against two plain forward
 * passes (dense and pruned) over the same calibration images, the same pass when D's side comes
 * from a {@link DenseCache} filled by a pass at another pruning (as the workbench runs it after
 * a sparsity change), and the time of a preview (a new lambda for every unit, no forward pass),
 * and of a rule file's preview beside it. Rounds alternate so machine noise hits all alike.
 */
public final class PassBenchmark {
    private PassBenchmark() {
    }

    /**
     * @param rule a further method (a rule file) whose preview is timed beside the built-in asr's,
     *             or null
     */
    public static Map<String, Object> run(LoadedModel model, PruneResult prune, ImageDataset calib, int[] idx,
                                          SequentialPass.Config config, int rounds, String devicePref, RepairMethod rule)
            throws IOException {
        RepairSettings asr = RepairSettings.of(RepairMethod.ASR);
        Map<String, Object> out = new LinkedHashMap<>();
        var device = Engines.device(devicePref);
        try (RepairSession s = new RepairSession(model, prune, device);
             DenseCache cache = new DenseCache(device, config.memoryBudgetBytes())) {
            double tPlain = 0;
            double tPass = 0;
            double tCached = 0;
            RepairedPass last = null;
            twoForwards(s, calib, idx, config.chunkSize()); // warm-up
            PruneResult other = Pruner.ranking(model.graph(), model.weights(), prune.settings())
                    .prune(prune.requested() >= 0.5 ? prune.requested() - 0.1 : prune.requested() + 0.1);
            try (RepairSession before = new RepairSession(model, other, device)) {
                before.pass(calib, idx, asr, config, Progress.NONE, cache); // fills D's side at another sparsity
            }
            boolean identical = true;
            for (int r = 0; r < rounds; r++) {
                tPlain += twoForwards(s, calib, idx, config.chunkSize());
                long t0 = System.nanoTime();
                last = s.pass(calib, idx, asr, config, Progress.NONE);
                tPass += (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                RepairedPass cached = s.pass(calib, idx, asr, config, Progress.NONE, cache);
                tCached += (System.nanoTime() - t0) / 1e9;
                identical &= last.stats().sameStatistics(cached.stats());
            }
            if (cache.fills() != 1) {
                throw new IllegalStateException("the dense cache was filled " + cache.fills() + " times, not once");
            }
            double[] previewMs = previewMs(last.stats(), asr);
            double[] rulePreviewMs = rule == null ? null : previewMs(last.stats(), RepairSettings.of(rule));
            out.put("model", model.source().getFileName().toString());
            out.put("arch", model.name());
            out.put("device", Engines.describe(s.dense().device()));
            out.put("calibN", idx.length);
            out.put("chunkSize", config.chunkSize());
            out.put("units", last.stats().units().size());
            out.put("rounds", rounds);
            out.put("twoForwardSeconds", tPlain / rounds);
            out.put("passSeconds", tPass / rounds);
            out.put("passOverTwoForwards", tPass / tPlain);
            out.put("cachedPassSeconds", tCached / rounds);
            out.put("cachedOverFullPass", tCached / tPass);
            out.put("cachedStatisticsIdentical", identical);
            out.put("denseCacheSpilledBytes", cache.spilledBytes());
            out.put("spilledBytes", last.spilledBytes());
            out.put("previewMedianMs", previewMs[previewMs.length / 2]);
            out.put("previewMaxMs", previewMs[previewMs.length - 1]);
            if (rule != null) {
                out.put("rule", rule.id());
                out.put("rulePreviewMedianMs", rulePreviewMs[rulePreviewMs.length / 2]);
                out.put("rulePreviewMaxMs", rulePreviewMs[rulePreviewMs.length - 1]);
            }
        }
        return out;
    }

    /**
     * Sorted times of 50 previews of every unit (after 20 untimed ones), the method's first
     * parameter moved over its slider's range as a drag would move it.
     */
    private static double[] previewMs(NetworkStats stats, RepairSettings settings) {
        MethodParam p = settings.method().params().isEmpty() ? null : settings.method().params().get(0);
        double[] ms = new double[50];
        for (int i = -20; i < ms.length; i++) {
            RepairSettings s = p == null ? settings
                    : settings.with(p.name(), p.fromSlider(p.sliderLow() + (p.sliderHigh() - p.sliderLow())
                    * Math.max(i, 0) / (ms.length - 1)));
            long t0 = System.nanoTime();
            Preview.preview(stats, s);
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    /** One plain forward pass of D and one of P over the images, chunk by chunk, as an evaluation would run them. */
    private static double twoForwards(RepairSession s, ImageDataset calib, int[] idx, int chunk) throws IOException {
        long t0 = System.nanoTime();
        for (Executor e : new Executor[] {s.dense(), s.pruned()}) {
            new BatchReader(calib, s.model().normalization(), chunk).forEach(idx, b -> {
                try (NDManager m = e.manager().newSubManager()) {
                    NDArray x = e.input(m, b.pixels(), b.size(), calib.channels(), calib.height(), calib.width());
                    e.forward(x).toFloatArray();
                }
            }, null);
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
