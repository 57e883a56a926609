package org.asrworkbench.app.chart;

import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.core.estimate.LocalEstimate;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.UnitRepair;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds every workbench chart from the core's numbers. Pure functions of their inputs (no FX),
 * so views rebuild a chart whenever the model changes and tests can render them headless.
 */
public final class Charts {
    /** The methods the channel and teaching views compare by default: layer-wise and channel-wise beside ASR. */
    public static final List<RepairMethod> COMPARED = List.of(RepairMethod.LAYER_WISE, RepairMethod.CHANNEL_WISE,
            RepairMethod.ASR);
    /** The per-channel value the channel view draws over r_c by default: ASR's shrinkage weight. */
    public static final String DEFAULT_CHANNEL_VALUE = "asr: w";

    private Charts() {
    }

    /** Retention per unit: the pruned network (R_u) and the predicted retention after each method (preview). */
    public static JFreeChart layers(NetworkStats stats, Map<RepairMethod, RepairPlan> previews, boolean dark) {
        return layers(stats, null, previews, dark);
    }

    /**
     * Retention per unit, as {@link #layers(NetworkStats, Map, boolean)}; statistics from the
     * local estimate are named and marked as such, and {@code overlay} (the estimate for the same
     * pruning, or null) adds its {@code R_est} over a pass's {@code R}.
     */
    public static JFreeChart layers(NetworkStats stats, NetworkStats overlay, Map<RepairMethod, RepairPlan> previews,
                                    boolean dark) {
        boolean estimate = LocalEstimate.isEstimate(stats);
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        String pruned = estimate ? "pruned, no repair (R_est, local estimate)" : "pruned, no repair (R)";
        Map<RepairMethod, String> names = new LinkedHashMap<>();
        previews.forEach((m, p) -> {
            if (!m.isIdentity()) {
                names.put(m, p.settings().label() + (estimate ? " \u2014 preview from the estimate" : " \u2014 preview"));
            }
        });
        String over = "local estimate R_est (upstream damage not included)";
        boolean overlaid = stats != null && !estimate && overlay != null;
        if (stats != null) {
            for (UnitStats u : stats.units()) {
                data.addValue(u.R(), pruned, u.unit());
            }
            names.forEach((m, label) -> {
                RepairPlan p = previews.get(m);
                if (p != null) {
                    for (UnitStats u : stats.units()) {
                        data.addValue(RepairMetrics.retentionAfter(u, p.unit(u.unit())), label, u.unit());
                    }
                }
            });
        }
        CategoryAxis x = new CategoryAxis("unit (input \u2192 output)");
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        x.setMaximumCategoryLabelLines(1);
        NumberAxis y = new NumberAxis("retention (signal left, 1 = dense)");
        y.setAutoRangeIncludesZero(true);
        y.setStandardTickUnits(coarseTicks());
        if (overlaid) {
            for (UnitStats u : stats.units()) {
                data.addValue(overlay.hasUnit(u.unit()) ? overlay.unit(u.unit()).R() : null, over, u.unit());
            }
        }
        LineAndShapeRenderer r = new LineAndShapeRenderer(true, true);
        BasicStroke dotted = new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {2f, 4f}, 0f);
        r.setSeriesPaint(0, estimate ? ChartStyle.ESTIMATE : ChartStyle.PRUNED);
        r.setSeriesStroke(0, estimate ? dotted : new BasicStroke(2.5f));
        int i = 1;
        for (RepairMethod m : names.keySet()) {
            r.setSeriesPaint(i, ChartStyle.methodColor(m.id()));
            r.setSeriesStroke(i, new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
            i++;
        }
        if (overlaid) {
            r.setSeriesPaint(data.getRowIndex(over), ChartStyle.ESTIMATE);
            r.setSeriesStroke(data.getRowIndex(over), dotted);
        }
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        String title = stats == null ? "Retention per unit \u2014 run a statistics pass"
                : estimate ? "Retention per unit (local estimate): the damage each layer's own pruning does"
                : overlaid ? "Retention per unit: exact pass (R) and local estimate (R_est)"
                : "Retention per unit: signal collapse with depth";
        return marked(chart(title, plot, dark), estimate, dark);
    }

    /** Marks a chart of estimated statistics ({@link ChartStyle#markEstimate}) when {@code estimate}; returns it. */
    public static JFreeChart marked(JFreeChart chart, boolean estimate, boolean dark) {
        if (estimate) {
            ChartStyle.markEstimate(chart, dark);
        }
        return chart;
    }

    /**
     * Every per-channel value of a unit the channel view can draw, by label: the statistics
     * ({@code mu_d, s2_d, mu_p, s2_p, rho}), each previewed method's gain ({@code gain: asr}) and
     * each method's named values ({@code asr: w}, a rule's {@code let} values).
     */
    public static Map<String, double[]> channelValues(UnitStats u, Map<RepairMethod, RepairPlan> previews) {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (u == null) {
            return out;
        }
        out.put("mu_d", u.muD());
        out.put("s2_d", u.s2D());
        out.put("mu_p", u.muP());
        out.put("s2_p", u.s2P());
        out.put("rho", u.rho());
        previews.forEach((m, p) -> {
            if (p.hasUnit(u.unit())) {
                p.unit(u.unit()).values().forEach((k, v) -> out.put(m.id() + ": " + k, v));
            }
        });
        previews.forEach((m, p) -> {
            if (p.hasUnit(u.unit())) {
                out.put("gain: " + m.id(), doubles(p.unit(u.unit()).gain()));
            }
        });
        return out;
    }

    /**
     * The selected unit's channels, weakest first: r_c with one more per-channel value
     * ({@link #channelValues}, by label; ASR's w_c by default), the gains of the compared methods
     * (log), and the predicted relative std after each.
     */
    public static JFreeChart channels(UnitStats u, Map<RepairMethod, RepairPlan> previews, List<RepairMethod> compared,
                                      String value, boolean dark) {
        NumberAxis x = new NumberAxis("channels, sorted by retention r_c (weakest first)");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
        plot.setGap(12);
        List<RepairMethod> shown = compared.stream().filter(previews::containsKey).toList();
        if (u != null && !shown.isEmpty()) {
            x.setRange(-0.5, u.channels() - 0.5);
            int[] order = RepairMetrics.channelsByRetention(u);
            double[] r = u.r();
            XYSeriesCollection retention = new XYSeriesCollection(series("retention r_c (pruned / dense)", order, r));
            double[] extra = channelValues(u, previews).get(value);
            XYPlot top = new XYPlot(retention, null, axis(extra == null ? "r_c" : "r_c and " + value), bars(ChartStyle.PRUNED));
            if (extra != null) {
                top.setDataset(1, new XYSeriesCollection(series(value, order, extra)));
                XYLineAndShapeRenderer weight = new XYLineAndShapeRenderer(true, true);
                weight.setSeriesPaint(0, ChartStyle.WEIGHT);
                weight.setSeriesStroke(0, new BasicStroke(2f));
                weight.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
                top.setRenderer(1, weight);
                top.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
            }
            plot.add(top, 1);

            XYSeriesCollection gains = new XYSeriesCollection();
            XYSeriesCollection after = new XYSeriesCollection();
            XYLineAndShapeRenderer gainLines = methodLines(shown);
            XYLineAndShapeRenderer afterLines = methodLines(shown);
            for (RepairMethod m : shown) {
                UnitRepair rep = previews.get(m).unit(u.unit());
                gains.addSeries(series(previews.get(m).settings().label() + " (gain)", order, doubles(rep.gain())));
                after.addSeries(series(m.id(), order, relStd(rep)));
            }
            XYPlot gainPlot = new XYPlot(gains, null, gainAxis(gains), gainLines);
            gainPlot.addRangeMarker(one());
            plot.add(gainPlot, 1);
            afterLines.setDefaultSeriesVisibleInLegend(false);
            XYPlot afterPlot = new XYPlot(after, null, axis("std after repair / dense"), afterLines);
            afterPlot.addRangeMarker(one());
            plot.add(afterPlot, 1);
        }
        String title = u == null ? "Channels \u2014 select a unit after a statistics pass"
                : "Channels of " + u.unit() + " (preview)";
        return chart(title, plot, dark);
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Heatmap of channel retention, units (x) by channels (y), for the whole network. */
    public static JFreeChart damageMap(NetworkStats stats, boolean dark) {
        DefaultXYZDataset data = new DefaultXYZDataset();
        String[] names = new String[stats == null ? 0 : stats.units().size()];
        if (stats != null) {
            int total = stats.units().stream().mapToInt(UnitStats::channels).sum();
            double[][] xyz = new double[3][total];
            int k = 0;
            for (int i = 0; i < names.length; i++) {
                UnitStats u = stats.units().get(i);
                names[i] = u.unit();
                double[] r = u.r();
                boolean[] dead = u.dead();
                for (int c = 0; c < r.length; c++, k++) {
                    xyz[0][k] = i;
                    xyz[1][k] = c;
                    xyz[2][k] = dead[c] ? Double.NaN : Math.min(r[c], 1.0);
                }
            }
            data.addSeries("r_c", xyz);
        }
        SymbolAxis x = new SymbolAxis("unit (input \u2192 output)", names);
        x.setVerticalTickLabels(true);
        x.setGridBandsVisible(false);
        NumberAxis y = new NumberAxis("channel");
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        y.setLowerMargin(0);
        y.setUpperMargin(0);
        XYBlockRenderer r = new XYBlockRenderer();
        RetentionPaintScale scale = new RetentionPaintScale();
        r.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, x, y, r);
        boolean estimate = LocalEstimate.isEstimate(stats);
        JFreeChart chart = chart(stats == null ? "Damage map \u2014 run a statistics pass"
                : estimate ? "Damage map: estimated channel retention r_est (dark = collapsed, light = intact)"
                : "Damage map: channel retention r_c (dark = collapsed, light = intact)", plot, dark);
        chart.removeLegend();
        NumberAxis legendAxis = new NumberAxis(estimate ? "r_est" : "r_c");
        legendAxis.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        legend.setStripWidth(14);
        chart.addSubtitle(legend);
        ChartStyle.apply(chart, dark);
        return marked(chart, estimate, dark);
    }

    /**
     * Top-1 against sparsity, one line per series (method and parameter values), coloured by
     * method; a method's further series are dashed.
     */
    public static JFreeChart runs(List<RunRecord> runs, boolean dark) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        Map<String, XYSeries> bySeries = new LinkedHashMap<>();
        Map<String, String> methodOf = new LinkedHashMap<>();
        for (RunRecord run : runs.stream().sorted(java.util.Comparator.comparing(RunRecord::method)
                .thenComparing(RunRecord::series)).toList()) {
            String name = run.series();
            methodOf.put(name, run.method());
            bySeries.computeIfAbsent(name, k -> new XYSeries(k, true, true))
                    .addOrUpdate(run.sparsity() * 100, run.top1() * 100);
        }
        Map<String, Integer> perMethod = new LinkedHashMap<>();
        bySeries.forEach((name, s) -> {
            String method = methodOf.get(name);
            int k = perMethod.merge(method, 1, Integer::sum) - 1;
            int i = data.getSeriesCount();
            r.setSeriesPaint(i, ChartStyle.methodColor(method));
            r.setSeriesStroke(i, k == 0 ? new BasicStroke(2f) : new BasicStroke(2f, BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND, 1f, new float[] {2f + 3f * k, 3f}, 0f));
            data.addSeries(s);
        });
        NumberAxis x = new NumberAxis("sparsity (%)");
        x.setAutoRangeIncludesZero(false);
        x.setAutoRangeMinimumSize(10);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis("top-1 (%)");
        y.setAutoRangeIncludesZero(false);
        y.setAutoRangeMinimumSize(10);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return chart(runs.isEmpty() ? "Top-1 against sparsity \u2014 press Apply & Evaluate or run a sweep"
                : "Top-1 against sparsity", new XYPlot(data, x, y, r), dark);
    }

    /** One unit under the compared methods (two methods beside ASR), side by side, channels weakest first. */
    public static JFreeChart teaching(UnitStats u, Map<RepairMethod, RepairPlan> previews, List<RepairMethod> compared,
                                      boolean dark) {
        NumberAxis y = axis("signal std after repair / dense");
        y.setRange(0, 1.6);
        y.setTickUnit(new NumberTickUnit(0.2));
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(y);
        plot.setGap(16);
        if (u != null && !previews.isEmpty()) {
            int[] order = RepairMetrics.channelsByRetention(u);
            for (RepairMethod m : compared.stream().filter(previews::containsKey).toList()) {
                UnitRepair rep = previews.get(m).unit(u.unit());
                XYSeriesCollection bars = new XYSeriesCollection(series(m.id() + " after repair", order, relStd(rep)));
                NumberAxis x = new NumberAxis(m.id() + ": channels, weakest first");
                x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                XYPlot p = new XYPlot(bars, x, null, bars(ChartStyle.methodColor(m.id())));
                p.setDataset(1, new XYSeriesCollection(series("before repair (r_c)", order, u.r())));
                XYLineAndShapeRenderer before = lines(dark ? new Color(0xf0f0f0) : Color.BLACK);
                before.setSeriesStroke(0, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                        new float[] {5f, 3f}, 0f));
                before.setSeriesVisibleInLegend(0, plot.getSubplots().isEmpty());
                p.setRenderer(1, before);
                p.addRangeMarker(one());
                p.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
                plot.add(p, 1);
            }
        }
        String title = u == null ? "Teaching view \u2014 run a statistics pass" : "The same channels of " + u.unit() + " under "
                + compared.size() + " repairs";
        return chart(title, plot, dark);
    }

    private static double[] relStd(UnitRepair r) {
        double[] v = r.relVarAfter();
        double[] out = new double[v.length];
        for (int c = 0; c < v.length; c++) {
            out[c] = Math.sqrt(v[c]);
        }
        return out;
    }

    private static XYSeries series(String name, int[] order, double[] values) {
        XYSeries s = new XYSeries(name, false, true);
        for (int i = 0; i < order.length; i++) {
            double v = values[order[i]];
            if (Double.isFinite(v)) {
                s.add(i, v);
            }
        }
        return s;
    }

    private static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(true);
        return a;
    }

    /** A base-2 log axis for gains (ticks at 0.5, 1, 2, 4, ...) whose range always shows gain 1. */
    private static LogAxis gainAxis(XYSeriesCollection gains) {
        LogAxis a = new LogAxis("gain (log scale)");
        a.setBase(2);
        a.setSmallestValue(1e-3);
        a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        a.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
        double lo = 1;
        double hi = 2;
        for (int i = 0; i < gains.getSeriesCount(); i++) {
            XYSeries s = gains.getSeries(i);
            if (!s.isEmpty()) {
                lo = Math.min(lo, Math.max(1e-3, s.getMinY()));
                hi = Math.max(hi, s.getMaxY());
            }
        }
        a.setRange(lo / 1.15, hi * 1.15);
        return a;
    }

    /** Tick units no finer than 0.1, so a tall axis is not a wall of labels. */
    private static TickUnits coarseTicks() {
        TickUnits t = new TickUnits();
        for (double v : new double[] {0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}) {
            t.add(new NumberTickUnit(v));
        }
        return t;
    }

    /** A thin dashed line at 1 (dense signal, gain 1). */
    private static ValueMarker one() {
        ValueMarker m = new ValueMarker(1.0, new Color(0x80, 0x80, 0x80), new BasicStroke(1f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
        return m;
    }

    private static XYBarRenderer bars(Color c) {
        XYBarRenderer r = new XYBarRenderer(0.15);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, c);
        return r;
    }

    private static XYLineAndShapeRenderer lines(Color c) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setSeriesPaint(0, c);
        r.setSeriesStroke(0, new BasicStroke(2f));
        return r;
    }

    private static XYLineAndShapeRenderer methodLines(List<RepairMethod> methods) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < methods.size(); i++) {
            r.setSeriesPaint(i, ChartStyle.methodColor(methods.get(i).id()));
            r.setSeriesStroke(i, new BasicStroke(1.8f));
        }
        return r;
    }

    /** A chart with the title and the theme applied (and the legend shown). */
    static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot, boolean dark) {
        if (plot instanceof XYPlot xy) {
            xy.setOrientation(PlotOrientation.VERTICAL);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartStyle.apply(chart, dark);
        return chart;
    }
}
