package org.asrworkbench.core.experiments;

import org.asrworkbench.core.experiments.SweepOutputs.SummaryRow;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A sweep summary pivoted into one markdown table for papers and docs: a line per (model,
 * pruning kind, sparsity), the (model, kind) pairs in first-seen order and the sparsities of each
 * ascending (so that the tables of several sweeps merge), with the dense top-1 and a column per series
 * (top-1 in %, the mean over seeds, optionally ± the sample std). Cells the sweeps did not
 * run show "–". With {@code boldBest}, the best repaired value of each line (every series but
 * {@code none}; ties at the printed precision included) is in bold.
 */
public final class SummaryTable {

    /**
     * How to lay the table out. {@code series}: the columns in order (empty: every series of the
     * summary in first-seen order); {@code digits}: decimals of the percentages.
     */
    public record Format(List<String> series, boolean std, int digits, boolean boldBest) {
        public Format {
            series = List.copyOf(series);
            if (digits < 0 || digits > 6) {
                throw new IllegalArgumentException("digits must be between 0 and 6, got " + digits);
            }
        }
    }

    static final String MISSING = "–";
    static final String NO_REPAIR = "none";

    private SummaryTable() {
    }

    public static String markdown(List<SummaryRow> summary, Format format) {
        List<String> columns = format.series().isEmpty()
                ? summary.stream().map(SummaryRow::series).distinct().toList() : format.series();
        // (model, kind) groups in first-seen order, each with its sparsities ascending
        Map<String, TreeMap<Double, Map<String, SummaryRow>>> groups = new LinkedHashMap<>();
        for (SummaryRow s : summary) {
            groups.computeIfAbsent(s.model() + "|" + s.prune(), k -> new TreeMap<>())
                    .computeIfAbsent(s.sparsity(), k -> new LinkedHashMap<>()).put(s.series(), s);
        }
        List<Map<String, SummaryRow>> lines = groups.values().stream().flatMap(g -> g.values().stream()).toList();
        StringBuilder out = new StringBuilder("| model | pruning | sparsity | dense |");
        columns.forEach(c -> out.append(" `").append(c).append("` |"));
        out.append("\n|---|---|---:|---:|").append("---:|".repeat(columns.size())).append('\n');
        for (Map<String, SummaryRow> line : lines) {
            SummaryRow first = line.values().iterator().next();
            out.append("| ").append(modelName(first.model())).append(" | ").append(first.prune()).append(" | ")
                    .append(SweepRow.trim(first.sparsity())).append(" | ")
                    .append(percent(first.top1Dense(), format.digits())).append(" |");
            Set<String> best = format.boldBest() ? bestCells(line, columns, format.digits()) : Set.of();
            for (String c : columns) {
                SummaryRow s = line.get(c);
                String cell = s == null ? MISSING : cell(s, format);
                out.append(' ').append(best.contains(c) ? "**" + cell + "**" : cell).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The file name of a model without its model-file extension or trailing hash ({@code resnet20-12fca82f.th}). */
    static String modelName(String model) {
        String name = model.substring(Math.max(model.lastIndexOf('/'), model.lastIndexOf('\\')) + 1);
        return name.replaceFirst("\\.(safetensors|th|pt|pth|tar|bin|ckpt)$", "").replaceFirst("-[0-9a-f]{8,}$", "");
    }

    private static String cell(SummaryRow s, Format f) {
        String mean = percent(s.top1Mean(), f.digits());
        return f.std() ? mean + " ± " + percent(s.top1Std(), f.digits()) : mean;
    }

    /** The repaired columns whose printed mean is the line's highest. */
    private static Set<String> bestCells(Map<String, SummaryRow> line, List<String> columns, int digits) {
        Map<String, Double> printed = new LinkedHashMap<>();
        for (String c : columns) {
            if (line.containsKey(c) && !c.equals(NO_REPAIR)) {
                printed.put(c, Double.parseDouble(percent(line.get(c).top1Mean(), digits)));
            }
        }
        double best = printed.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        Set<String> out = new LinkedHashSet<>();
        printed.forEach((c, v) -> {
            if (v == best) {
                out.add(c);
            }
        });
        return out;
    }

    /**
     * {@code fraction} in % with {@code digits} decimals, rounded half up from its shortest
     * decimal form, so that 0.2735 prints as 27.4 although {@code 100 * 0.2735} is 27.3499... in binary.
     */
    static String percent(double fraction, int digits) {
        if (!Double.isFinite(fraction)) {
            return String.valueOf(fraction);
        }
        return BigDecimal.valueOf(fraction).movePointRight(2).setScale(digits, RoundingMode.HALF_UP).toPlainString();
    }
}
