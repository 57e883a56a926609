package org.asrworkbench.core.bench;

import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.estimate.CovarianceGatherer;
import org.asrworkbench.core.estimate.InputCovariances;
import org.asrworkbench.core.estimate.LocalEstimate;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneRanking;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.stats.SequentialPass;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times the local damage estimate: gathering D's input covariances once, then estimate updates
 * for every unit with the mask recomputation included, as the sparsity slider produces them: a
 * drag of the given kind from 0.5 to 0.95 and back in steps of 0.01, and jumps (a typed
 * sparsity, and a change of pruning kind, each from the previous state).
 */
public final class EstimateBenchmark {
    private EstimateBenchmark() {
    }

    public static Map<String, Object> run(LoadedModel model, PruneSettings prune, ImageDataset calib, int[] images,
                                          SequentialPass.Config config, String devicePref, Progress progress)
            throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        var device = Engines.device(devicePref);
        long t0 = System.nanoTime();
        InputCovariances cov = CovarianceGatherer.gather(model, device, calib, images, config, progress);
        double gather = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        Map<PruneKind, PruneRanking> rankings = new LinkedHashMap<>();
        for (PruneKind k : PruneKind.values()) {
            rankings.put(k, Pruner.ranking(model.graph(), model.weights(), new PruneSettings(k, 0,
                    prune.excludeFirstConv(), prune.excludeClassifier())));
        }
        double ranking = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        LocalEstimate est = new LocalEstimate(model.graph(), model.weights(), cov);
        double setup = (System.nanoTime() - t0) / 1e9;
        PruneRanking drag = rankings.get(prune.kind());
        for (int warm = 0; warm < 3; warm++) {
            update(est, drag, 0.7 - 0.1 * warm); // ends where the drag starts
        }
        List<Double> steps = new ArrayList<>();
        for (int i = 0; i <= 45; i++) {
            steps.add(update(est, drag, 0.5 + 0.01 * i));
        }
        for (int i = 44; i >= 0; i--) {
            steps.add(update(est, drag, 0.5 + 0.01 * i));
        }
        Map<String, Double> jumps = new LinkedHashMap<>();
        jumps.put("to " + prune.kind().id() + " 0.9", update(est, drag, 0.9));
        jumps.put("to " + prune.kind().id() + " 0.3", update(est, drag, 0.3));
        for (PruneKind k : PruneKind.values()) {
            jumps.put("to " + k.id() + " 0.5", update(est, rankings.get(k), 0.5));
        }
        jumps.put("to " + prune.kind().id() + " 0.8", update(est, drag, 0.8));
        double[] s = steps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        out.put("model", model.source().getFileName().toString());
        out.put("arch", model.name());
        out.put("device", Engines.describe(device));
        out.put("nEst", images.length);
        out.put("units", model.graph().units().size());
        out.put("unitsWithEstimate", cov.units().size());
        out.put("covarianceBytes", cov.bytes());
        out.put("gatherSeconds", gather);
        out.put("rankingSeconds", ranking);
        out.put("estimateSetupSeconds", setup);
        out.put("dragKind", prune.kind().id());
        out.put("dragSteps", s.length);
        out.put("updateMedianMs", s[s.length / 2]);
        out.put("updateMaxMs", s[s.length - 1]);
        out.put("jumpMs", jumps);
        out.put("jumpMaxMs", jumps.values().stream().mapToDouble(Double::doubleValue).max().orElse(0));
        out.put("skipped", cov.notes());
        return out;
    }

    /** Masks at {@code sparsity} and the estimate of every unit for them, in milliseconds. */
    private static double update(LocalEstimate est, PruneRanking ranking, double sparsity) {
        long t0 = System.nanoTime();
        est.update(ranking.masks(Math.min(1, sparsity)));
        return (System.nanoTime() - t0) / 1e6;
    }
}
