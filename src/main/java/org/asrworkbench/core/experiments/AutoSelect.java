package org.asrworkbench.core.experiments;

import org.asrworkbench.core.data.CalibrationSampler.CalibrationSplit;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.eval.Evaluator;
import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.eval.Logits;
import org.asrworkbench.core.eval.SelectionScore;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.UnitRepair;
import org.asrworkbench.core.stats.DenseCache;
import org.asrworkbench.core.stats.SequentialPass;
import org.asrworkbench.core.stats.UnitStats;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.UnaryOperator;

/**
 * {@code auto} (docs/repair-methods.md, "Automatic choice without labels"): chooses the repair
 * method and {@code lambda} from the dense network's own outputs, without a label.
 *
 * <p>The first {@code N} images of the calibration draw feed each candidate's own exact
 * sequential pass; the next {@code N_sel} (the selection set) score it by the mean
 * {@code KL(softmax(D) || softmax(P_repaired))} of the logits, with the top-1 agreement with D
 * beside it. The smallest KL wins; within {@link #KL_TIE}, the higher agreement, then the
 * earlier candidate in {@link #DEFAULT_CANDIDATES}. A candidate whose pass throws, or whose
 * statistics, repair or logits are not finite, is reported as failed and never chosen.
 *
 * <p>D's side is computed once for all candidates: its statistics through a {@link DenseCache}
 * filled by the first candidate's pass, and its logits on the selection set. Each further
 * candidate runs only P, over the calibration and the selection images.
 */
public final class AutoSelect {
    /** KL values this close to the smallest count as tied. */
    public static final double KL_TIE = 1e-4;
    /** The spec's default size of the selection set. */
    public static final int DEFAULT_SELECT_N = 512;
    /** The spec's candidates, in the order that breaks the last ties. */
    public static final List<RepairSettings> DEFAULT_CANDIDATES = List.of(
            RepairSettings.of(RepairMethod.BN_RECAL), RepairSettings.of(RepairMethod.LAYER_WISE),
            RepairSettings.of(RepairMethod.CHANNEL_WISE), asr(0.1), asr(0.25), asr(0.5), asr(1), asr(2), asr(4));

    /** Labelled images on which every candidate's top-1 is measured and reported (never used for the choice). */
    public record Evaluation(ImageDataset data, int[] indices, int batchSize) {
    }

    /** A candidate's pass and P's logits on the selection set. */
    record Outcome(RepairedPass pass, Logits logits) {
    }

    /** Runs one candidate (its pass and its selection-set logits). */
    @FunctionalInterface
    interface CandidateStep {
        Outcome run(RepairSettings candidate, Progress progress) throws IOException;
    }

    private AutoSelect() {
    }

    private static RepairSettings asr(double lambda) {
        return RepairSettings.of(RepairMethod.ASR, "lambda", lambda);
    }

    /**
     * Runs {@code auto} on a session.
     *
     * @param split      the calibration draw of {@code N + N_sel}: statistics images, then the selection set
     * @param candidates in order (usually {@link #DEFAULT_CANDIDATES})
     * @param eval       labelled data to report each candidate's top-1 on, or null
     */
    public static AutoResult run(RepairSession session, ImageDataset calib, CalibrationSplit split,
                                 List<RepairSettings> candidates, SequentialPass.Config config, int batchSize,
                                 Evaluation eval, Progress progress) throws IOException {
        return run(session, calib, split, candidates, config, batchSize, eval, progress, UnaryOperator.identity());
    }

    /** As the public {@code run}, with the candidate step wrapped by {@code wrap} (tests inject failures). */
    static AutoResult run(RepairSession session, ImageDataset calib, CalibrationSplit split,
                          List<RepairSettings> candidates, SequentialPass.Config config, int batchSize,
                          Evaluation eval, Progress progress, UnaryOperator<CandidateStep> wrap) throws IOException {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("auto needs at least one candidate");
        }
        if (split.selection().length == 0) {
            throw new IllegalArgumentException("auto needs a selection set (N_sel > 0)");
        }
        long t0 = System.nanoTime();
        int c = candidates.size();
        // Progress: D's logits, then one equal slot per candidate (its evaluation, if any, takes the slot's last 30%),
        // so the fraction only grows.
        double share = eval == null ? 1.0 : 0.7;
        try (DenseCache cache = new DenseCache(session.dense().manager(), config.memoryBudgetBytes())) {
            progress.update(0, "dense logits on the selection set");
            Logits dense = Logits.of(session.dense(), Map.of(), calib, split.selection(),
                    session.model().normalization(), batchSize, progress.slice(0, 1.0 / (c + 1)));
            double denseSeconds = (System.nanoTime() - t0) / 1e9;
            CandidateStep step = wrap.apply((s, p) -> {
                RepairedPass pass = session.pass(calib, split.calibration(), s, config, p.slice(0, 0.75), cache);
                Logits logits = Logits.of(session.pruned(), pass.plan().overrides(), calib, split.selection(),
                        session.model().normalization(), batchSize, p.slice(0.75, 1));
                return new Outcome(pass, logits);
            });
            List<CandidateScore> scores = new ArrayList<>(c);
            List<RepairedPass> passes = new ArrayList<>(c);
            double evalSeconds = 0;
            for (int i = 0; i < c; i++) {
                RepairSettings s = candidates.get(i);
                double from = (i + 1.0) / (c + 1);
                double evalFrom = from + share / (c + 1);
                Progress slice = progress.slice(from, evalFrom);
                progress.checkCancelled();
                progress.update(from, "candidate " + (i + 1) + " of " + c + ": " + label(s));
                CandidateScore score = score(step, s, dense, slice, passes);
                if (eval != null && !score.isFailed()) {
                    long e0 = System.nanoTime();
                    EvalResult r = session.evaluatePruned(passes.get(i).plan().overrides(), eval.data(), eval.indices(),
                            eval.batchSize(), progress.slice(evalFrom, (i + 2.0) / (c + 1)));
                    evalSeconds += (System.nanoTime() - e0) / 1e9;
                    score = new CandidateScore(s, score.kl(), score.agreement(), r, null, score.passSeconds(),
                            score.selectionSeconds());
                }
                scores.add(score);
            }
            double seconds = (System.nanoTime() - t0) / 1e9 - evalSeconds;
            progress.update(1, "auto done");
            return new AutoResult(scores, passes, choose(scores), split.selection().length, denseSeconds, seconds);
        }
    }

    /** Runs and scores one candidate; appends its pass (null when it failed) to {@code passes}. */
    private static CandidateScore score(CandidateStep step, RepairSettings s, Logits dense, Progress progress,
                                        List<RepairedPass> passes) throws IOException {
        long t0 = System.nanoTime();
        Outcome o;
        try {
            o = step.run(s, progress);
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            passes.add(null);
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            return CandidateScore.failed(s, "the pass failed: " + why, (System.nanoTime() - t0) / 1e9);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String bad = nonFinite(o.pass());
        if (bad == null && !o.logits().finite()) {
            bad = "non-finite logits on the selection set";
        }
        if (bad != null) {
            passes.add(null);
            return CandidateScore.failed(s, bad, seconds);
        }
        passes.add(o.pass());
        double passSeconds = o.pass().seconds();
        return new CandidateScore(s, SelectionScore.meanKl(dense, o.logits()), SelectionScore.agreement(dense, o.logits()),
                null, null, passSeconds, Math.max(0, seconds - passSeconds));
    }

    /** Why a pass's statistics or repair are unusable (a NaN or infinite value), or null. */
    static String nonFinite(RepairedPass r) {
        for (UnitStats u : r.stats().units()) {
            for (double[] a : new double[][] {u.muD(), u.s2D(), u.muP(), u.s2P(), u.rho()}) {
                for (double v : a) {
                    if (!Double.isFinite(v)) {
                        return "non-finite statistics in unit " + u.unit();
                    }
                }
            }
        }
        RepairPlan plan = r.plan();
        for (UnitRepair u : plan.units()) {
            for (float[] a : new float[][] {u.mean(), u.var(), u.gain()}) {
                for (float v : a) {
                    if (!Float.isFinite(v)) {
                        return "non-finite repair in unit " + u.unit();
                    }
                }
            }
        }
        return null;
    }

    /**
     * The index of the candidate the rule chooses, or {@code -1} when every candidate failed:
     * the smallest KL; among those within {@link #KL_TIE} of it, the higher agreement; then the
     * earlier in {@link #DEFAULT_CANDIDATES} (candidates outside that list come after it, in
     * their given order).
     */
    public static int choose(List<CandidateScore> scores) {
        double best = Double.POSITIVE_INFINITY;
        for (CandidateScore s : scores) {
            if (!s.isFailed()) {
                best = Math.min(best, s.kl());
            }
        }
        int pick = -1;
        for (int i = 0; i < scores.size(); i++) {
            CandidateScore s = scores.get(i);
            if (s.isFailed() || s.kl() > best + KL_TIE) {
                continue;
            }
            if (pick < 0) {
                pick = i;
                continue;
            }
            CandidateScore p = scores.get(pick);
            if (s.agreement() > p.agreement()
                    || (s.agreement() == p.agreement() && rank(s.settings(), i) < rank(p.settings(), pick))) {
                pick = i;
            }
        }
        return pick;
    }

    /** Position in the default list, or after it by position in the given list. */
    private static int rank(RepairSettings s, int given) {
        for (int k = 0; k < DEFAULT_CANDIDATES.size(); k++) {
            if (same(DEFAULT_CANDIDATES.get(k), s)) {
                return k;
            }
        }
        return DEFAULT_CANDIDATES.size() + given;
    }

    private static boolean same(RepairSettings a, RepairSettings b) {
        return a.equals(b);
    }

    /**
     * Parses a candidate list: comma-separated settings as {@link RepairMethods#parseSettings}
     * reads them ({@code bn-recal}, {@code asr:L}, {@code asr:lambda=L}, {@code rule:FILE},
     * {@code rule:FILE:lambda=0.3}; a method alone takes its defaults), or {@code default} for
     * the spec's list. Duplicates are an error.
     */
    public static List<RepairSettings> parseCandidates(String list) {
        List<RepairSettings> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String t = raw.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.equals("default")) {
                DEFAULT_CANDIDATES.forEach(d -> add(out, d, t));
                continue;
            }
            add(out, RepairMethods.parseSettings(t), t);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no candidates in '" + list + "'");
        }
        return out;
    }

    private static void add(List<RepairSettings> out, RepairSettings s, String token) {
        for (RepairSettings o : out) {
            if (same(o, s)) {
                throw new IllegalArgumentException("candidate '" + token + "' is listed twice");
            }
        }
        out.add(s);
    }

    /** A candidate's name: {@code bn-recal}, or {@code asr (lambda 0.25)}. */
    public static String label(RepairSettings s) {
        return s.label();
    }

    /** The candidates table as aligned text lines (method, parameters, KL, agreement, top-1, chosen mark). */
    public static List<String> table(AutoResult r) {
        List<String> lines = new ArrayList<>();
        boolean top1 = r.candidates().stream().anyMatch(s -> s.top1() != null);
        lines.add(String.format(Locale.ROOT, "  %-14s %12s %12s %10s%s", "method", "params", "kl", "agreement",
                top1 ? String.format(Locale.ROOT, " %8s", "top1") : ""));
        for (int i = 0; i < r.candidates().size(); i++) {
            CandidateScore s = r.candidates().get(i);
            String params = s.settings().params().isEmpty() ? "-" : String.join(" ", s.settings().params().entrySet()
                    .stream().map(e -> e.getKey() + "=" + SweepRow.trim(e.getValue())).toList());
            String mark = i == r.chosen() ? "* " : "  ";
            if (s.isFailed()) {
                lines.add(String.format(Locale.ROOT, "%s%-14s %12s failed: %s", mark, s.settings().method().id(), params,
                        s.error()));
            } else {
                lines.add(String.format(Locale.ROOT, "%s%-14s %12s %12.6f %10.4f%s", mark, s.settings().method().id(),
                        params, s.kl(), s.agreement(),
                        s.top1() == null ? "" : String.format(Locale.ROOT, " %8.4f", s.top1())));
            }
        }
        return lines;
    }
}
