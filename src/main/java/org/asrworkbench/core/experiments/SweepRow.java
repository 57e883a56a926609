package org.asrworkbench.core.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.asrworkbench.core.repair.SettingsText;

import java.util.Map;

/**
 * One cell of a sweep. {@code params} holds the method's parameter values (empty for a method
 * without any; null in rows written before methods had named parameters); {@code lambda} repeats
 * the parameter named {@code lambda} where the method has one (null otherwise), as older rows and
 * tools have it. {@code passSeconds} is 0 for {@code none}, which needs no statistics pass.
 * {@code units} is the cell's {@code --units} choice ({@code all} or {@code bn}; null in rows
 * written before units had kinds, which repaired BN units only).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SweepRow(String model, String prune, double sparsity, double sparsityAchieved, String method,
                       Double lambda, int calibN, String calibSeed, int n, double top1, double top1Pruned,
                       double top1Dense, double passSeconds, double evalSeconds, String device,
                       Map<String, Double> params, String units) {

    static final String CSV_HEADER = "model,prune,sparsity,sparsityAchieved,method,lambda,calibN,calibSeed,n,top1,"
            + "top1Pruned,top1Dense,passSeconds,evalSeconds,device,params,units";

    /** A row without its units (as rows were written before units had kinds). */
    public SweepRow(String model, String prune, double sparsity, double sparsityAchieved, String method, Double lambda,
                    int calibN, String calibSeed, int n, double top1, double top1Pruned, double top1Dense,
                    double passSeconds, double evalSeconds, String device, Map<String, Double> params) {
        this(model, prune, sparsity, sparsityAchieved, method, lambda, calibN, calibSeed, n, top1, top1Pruned, top1Dense,
                passSeconds, evalSeconds, device, params, null);
    }

    /** A row without recorded parameter values (as rows were written before named parameters). */
    public SweepRow(String model, String prune, double sparsity, double sparsityAchieved, String method, Double lambda,
                    int calibN, String calibSeed, int n, double top1, double top1Pruned, double top1Dense,
                    double passSeconds, double evalSeconds, String device) {
        this(model, prune, sparsity, sparsityAchieved, method, lambda, calibN, calibSeed, n, top1, top1Pruned, top1Dense,
                passSeconds, evalSeconds, device, null);
    }

    /** The parameter values of a row: those recorded, else (an older row) its lambda, if any. */
    public Map<String, Double> paramValues() {
        if (params != null) {
            return params;
        }
        return lambda == null ? Map.of() : Map.of("lambda", lambda);
    }

    String csv() {
        return String.join(",", model, prune, Double.toString(sparsity), Double.toString(sparsityAchieved), method,
                lambda == null ? "" : Double.toString(lambda), Integer.toString(calibN), calibSeed,
                Integer.toString(n), Double.toString(top1), Double.toString(top1Pruned), Double.toString(top1Dense),
                String.format(java.util.Locale.ROOT, "%.3f", passSeconds),
                String.format(java.util.Locale.ROOT, "%.3f", evalSeconds), device,
                paramValues().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(";")), units == null ? "" : units);
    }

    /**
     * The series this row belongs to in plots and summaries, e.g. {@code asr (lambda 0.25)}, and
     * {@code asr (lambda 0.25) [bn units]} for a {@code --units bn} row.
     */
    public String series() {
        String l = SettingsText.label(method, paramValues());
        return "bn".equals(units) ? l + " [bn units]" : l;
    }

    static String trim(double v) {
        return SettingsText.number(v);
    }
}
