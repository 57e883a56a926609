package org.asrworkbench.core.bench;

import org.asrworkbench.core.data.CalibrationSampler.CalibrationSplit;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.experiments.AutoResult;
import org.asrworkbench.core.experiments.AutoSelect;
import org.asrworkbench.core.experiments.CandidateScore;
import org.asrworkbench.core.experiments.RepairSession;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.SequentialPass;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the cost of {@code auto} in units of one sequential pass, in one run on one device:
 * after a short warm-up, one plain pass ({@code asr}, default lambda, no cache) over the
 * {@code N} calibration images, then {@code auto} over the same images and selection set. It
 * reports the time of {@code auto} over the pass's, the first candidate's (which fills D's
 * cache) and each further candidate's cost (its P-only pass and its selection-set logits) in
 * passes. No evaluation is timed.
 */
public final class AutoBenchmark {
    private AutoBenchmark() {
    }

    public static Map<String, Object> run(LoadedModel model, PruneResult prune, ImageDataset calib, CalibrationSplit split,
                                          List<RepairSettings> candidates, SequentialPass.Config config, int batchSize,
                                          String devicePref, Progress progress) throws IOException {
        RepairSettings asr = RepairSettings.of(RepairMethod.ASR);
        Map<String, Object> out = new LinkedHashMap<>();
        try (RepairSession s = new RepairSession(model, prune, Engines.device(devicePref))) {
            int[] warm = Arrays.copyOf(split.calibration(), Math.min(split.calibration().length, config.chunkSize()));
            s.pass(calib, warm, asr, config, Progress.NONE);
            progress.update(0, "one sequential pass");
            long t0 = System.nanoTime();
            RepairedPass one = s.pass(calib, split.calibration(), asr, config, progress.slice(0, 0.1));
            double pass = (System.nanoTime() - t0) / 1e9;
            AutoResult r = AutoSelect.run(s, calib, split, candidates, config, batchSize, null, progress.slice(0.1, 1));
            List<CandidateScore> c = r.candidates();
            double extraSum = 0;
            double extraPassSum = 0;
            double extraMax = 0;
            List<Map<String, Object>> per = new ArrayList<>();
            for (int i = 0; i < c.size(); i++) {
                CandidateScore k = c.get(i);
                if (i > 0) {
                    extraSum += k.seconds();
                    extraPassSum += k.passSeconds();
                    extraMax = Math.max(extraMax, k.seconds());
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("candidate", k.label());
                row.put("passes", k.seconds() / pass);
                row.put("failed", k.isFailed());
                per.add(row);
            }
            int extra = c.size() - 1;
            out.put("model", model.source().getFileName().toString());
            out.put("arch", model.name());
            out.put("device", Engines.describe(s.dense().device()));
            out.put("calibN", split.calibration().length);
            out.put("selectN", split.selection().length);
            out.put("candidates", c.size());
            out.put("chunkSize", config.chunkSize());
            out.put("units", one.stats().units().size());
            out.put("passSeconds", pass);
            out.put("autoSeconds", r.seconds());
            out.put("autoOverPass", r.seconds() / pass);
            out.put("denseLogitsOverPass", r.denseSeconds() / pass);
            out.put("firstCandidateOverPass", c.get(0).seconds() / pass);
            if (extra > 0) {
                out.put("extraCandidateOverPass", extraSum / extra / pass);
                out.put("extraCandidateMaxOverPass", extraMax / pass);
                out.put("extraPassOnlyOverPass", extraPassSum / extra / pass);
            }
            out.put("chosen", r.hasChoice() ? r.chosenScore().label() : null);
            out.put("perCandidate", per);
        }
        return out;
    }
}
