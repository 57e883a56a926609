package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.StatsPass;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.util.SettingRules;
import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.experiments.AutoResult;
import org.asrworkbench.core.experiments.AutoSelect;
import org.asrworkbench.core.experiments.CandidateScore;
import org.asrworkbench.core.experiments.RepairSession;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.SequentialPass;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code auto} in the workbench ({@link AutoSelect}): one background job that prunes if needed,
 * draws the calibration images and the selection set after them (calibration N and seed, and
 * {@code N_sel} from the model), scores every candidate by its KL divergence from the dense
 * network, and, when it succeeds, shows the candidates table and sets the method and lambda
 * controls to the choice, with the chosen candidate's exact pass as the current statistics, so
 * the preview continues from there. The status bar reads "candidate k of C" throughout each
 * candidate. With a labelled evaluation dataset each candidate's top-1 is measured on the
 * images Apply &amp; Evaluate uses (reported, never used for the choice).
 */
public final class AutoController {
    private static final int BATCH = 100;
    private static final String CANDIDATE = "candidate ";

    private final WorkbenchModel model;
    private final ComputeService compute;

    public AutoController(WorkbenchModel model, ComputeService compute) {
        this.model = model;
        this.compute = compute;
    }

    /** Runs auto over the spec's default candidates; false when a job is running. */
    public boolean auto() {
        return auto(AutoSelect.DEFAULT_CANDIDATES);
    }

    /** Runs auto over {@code candidates}, in order; false when a job is running. */
    public boolean auto(List<RepairSettings> candidates) {
        LoadedModel m = RepairController.requireModel(model);
        ImageDataset calib = RepairController.requireCalibration(model);
        ImageDataset eval = model.getEvalDataset();
        PruneSettings ps = model.pruneSettings();
        PruneResult existing = model.pruneIsCurrent() ? model.getPruneResult() : null;
        int n = model.calibNProperty().get();
        int nSel = model.selectNProperty().get();
        String seedText = model.seedProperty().get();
        Long seed = CalibrationSampler.parseSeed(seedText);
        int limit = model.evalLimitProperty().get();
        SettingRules.calibrationSize("Selection N", nSel);
        List<RepairSettings> list = candidates.stream().map(c -> c.withUnits(model.unitsProperty().get())).toList();
        return compute.submit("Auto (" + list.size() + " candidates)", p -> {
            CalibrationSampler.CalibrationSplit split = CalibrationSampler.split(calib, n, nSel, seed);
            AutoSelect.Evaluation evaluation = eval != null && hasLabels(eval)
                    ? new AutoSelect.Evaluation(eval, EvaluationSampler.firstK(eval, limit > 0 ? limit : null), BATCH)
                    : null;
            PruneResult pr = existing != null ? existing : Pruner.prune(m.graph(), m.weights(), ps);
            p.checkCancelled();
            try (RepairSession session = new RepairSession(m, pr, compute.device())) {
                AutoResult r = AutoSelect.run(session, calib, split, list, SequentialPass.Config.DEFAULT, BATCH,
                        evaluation, new CandidateProgress(p));
                // without a choice this throws (naming each candidate's failure): a failed job changes
                // nothing, neither the pruning nor the candidates table lands
                RepairedPass pass = r.chosenPass();
                NetworkStats stats = new NetworkStats(RepairController.statsSettings(m, pr,
                        pass.plan().settings(), calib, n, seedText, compute), pass.stats().units());
                RepairedPass chosen = pass.withStats(stats);
                return new Outcome(pr, r, new StatsPass(new StatsPass.Key(m, ps, calib, n, seedText,
                        chosen.plan().settings()), chosen.stats(), chosen.plan()), summary(r, n, evaluation));
            }
        }, this::commit);
    }

    /** What the job hands to the UI thread: the pruning it used, auto's result and the chosen pass. */
    private record Outcome(PruneResult prune, AutoResult result, StatsPass chosen, String summary) {
    }

    private void commit(Outcome o) {
        if (o.prune() != model.getPruneResult()) {
            model.commitPrune(o.prune());
        }
        AutoResult r = o.result();
        model.commitAuto(r.candidates(), r.chosen(), o.summary());
        RepairSettings s = o.chosen().plan().settings();
        if (!model.getMethods().contains(s.method())) {
            model.addMethod(s.method());
        }
        s.params().forEach((k, v) -> model.paramProperty(k).set(v));
        model.methodProperty().set(s.method());
        model.commitPass(o.chosen());
    }

    /** The line above the table (auto made a choice): the choice, the images, the time, and the regret when top-1 was measured. */
    static String summary(AutoResult r, int n, AutoSelect.Evaluation eval) {
        String images = String.format(Locale.ROOT, "%d candidates, N = %d statistics images, N_sel = %d selection images,"
                + " %.1f s", r.candidates().size(), n, r.selectN(), r.seconds());
        CandidateScore c = r.chosenScore();
        String s = String.format(Locale.ROOT, "Chosen: %s \u2014 KL %.4g, agreement %.1f%% (%s)", c.label(), c.kl(),
                c.agreement() * 100, images);
        Double regret = r.regret();
        if (regret != null) {
            s += String.format(Locale.ROOT, "; top-1 on %d evaluation images, regret %.1f points", eval.indices().length,
                    regret * 100);
        }
        return s;
    }

    private static boolean hasLabels(ImageDataset d) throws IOException {
        return d.size() > 0 && d.label(0) >= 0;
    }

    /**
     * Keeps "candidate k of C" in front of every message of that candidate's pass, logits and
     * evaluation, so the status bar always says which candidate is running.
     */
    private static final class CandidateProgress implements Progress {
        private final Progress parent;
        private String candidate;

        CandidateProgress(Progress parent) {
            this.parent = parent;
        }

        @Override
        public void update(double fraction, String message) {
            if (message != null && message.startsWith(CANDIDATE)) {
                candidate = message;
                parent.update(fraction, message);
            } else {
                boolean plain = candidate == null || message == null || fraction >= 1;
                parent.update(fraction, plain ? message : candidate + " \u2014 " + message);
            }
        }

        @Override
        public boolean isCancelled() {
            return parent.isCancelled();
        }
    }
}
