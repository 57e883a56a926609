package org.asrworkbench.core.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One cell of a sweep. {@code lambda} is null for methods other than {@code asr};
 * {@code passSeconds} is 0 for {@code none}, which needs no statistics pass.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SweepRow(String model, String prune, double sparsity, double sparsityAchieved, String method,
                       Double lambda, int calibN, String calibSeed, int n, double top1, double top1Pruned,
                       double top1Dense, double passSeconds, double evalSeconds, String device) {

    static final String CSV_HEADER = "model,prune,sparsity,sparsityAchieved,method,lambda,calibN,calibSeed,n,top1,"
            + "top1Pruned,top1Dense,passSeconds,evalSeconds,device";

    String csv() {
        return String.join(",", model, prune, Double.toString(sparsity), Double.toString(sparsityAchieved), method,
                lambda == null ? "" : Double.toString(lambda), Integer.toString(calibN), calibSeed,
                Integer.toString(n), Double.toString(top1), Double.toString(top1Pruned), Double.toString(top1Dense),
                String.format(java.util.Locale.ROOT, "%.3f", passSeconds),
                String.format(java.util.Locale.ROOT, "%.3f", evalSeconds), device);
    }

    /** The series this row belongs to in plots and summaries, e.g. {@code asr (lambda 0.25)}. */
    public String series() {
        return lambda == null ? method : method + " (lambda " + trim(lambda) + ")";
    }

    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
