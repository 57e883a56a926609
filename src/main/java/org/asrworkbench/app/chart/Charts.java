package org.asrworkbench.app.chart;

import org.asrworkbench.app.model.Formats;
import org.asrworkbench.app.model.Heterogeneity;
import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.core.estimate.LocalEstimate;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.UnitRepair;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.title.LegendTitle;
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

    /**
     * Retention per unit, as {@link #layers(NetworkStats, NetworkStats, Map, NetworkStats, String, boolean)}
     * without an estimate overlay.
     */
    /** The layer chart's series that marks virtual units. */
    public static final String VIRTUAL_UNITS = "virtual unit (virtual BN after a layer without its own)";

    public static JFreeChart layers(NetworkStats stats, Map<RepairMethod, RepairPlan> previews, NetworkStats compare,
                                    String compareLabel, boolean dark) {
        return layers(stats, null, previews, compare, compareLabel, dark);
    }

    /**
     * Retention per unit: the pruned network (R_u), the predicted retention after each method
     * (preview), the R_u of a kept pass to compare with ({@code compare}, null for none), and
     * each unit's heterogeneity (the IQR of its r_c, diamonds on the right axis). Statistics from
     * the local estimate are named and marked as such, and {@code overlay} (the estimate for the
     * same pruning, or null) adds its {@code R_est} over a pass's {@code R}. Virtual units get a
     * hollow square of their own ({@link #VIRTUAL_UNITS}).
     */
    public static JFreeChart layers(NetworkStats stats, NetworkStats overlay, Map<RepairMethod, RepairPlan> previews,
                                    NetworkStats compare, String compareLabel, boolean dark) {
        boolean estimate = LocalEstimate.isEstimate(stats);
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        DefaultCategoryDataset spread = new DefaultCategoryDataset();
        String pruned = (estimate ? "pruned, no repair (R_est, local estimate)" : "pruned, no repair (R)")
                + (compare == null ? "" : " \u2014 this pass");
        Map<RepairMethod, String> names = new LinkedHashMap<>();
        previews.forEach((m, p) -> {
            if (!m.isIdentity()) {
                names.put(m, p.settings().label() + (estimate ? " \u2014 preview from the estimate" : " \u2014 preview"));
            }
        });
        String over = "local estimate R_est (upstream damage not included)";
        boolean overlaid = stats != null && !estimate && overlay != null;
        String compared = "R of " + compareLabel;
        if (stats != null) {
            for (UnitStats u : stats.units()) {
                data.addValue(u.R(), pruned, u.unit());
                spread.addValue(Heterogeneity.of(u).iqr(), "spread of r_c in the unit (IQR, right axis)", u.unit());
            }
            names.forEach((m, label) -> {
                RepairPlan p = previews.get(m);
                if (p != null) {
                    for (UnitStats u : stats.units()) {
                        data.addValue(RepairMetrics.retentionAfter(u, p.unit(u.unit())), label, u.unit());
                    }
                }
            });
            if (compare != null) {
                for (UnitStats u : stats.units()) {
                    data.addValue(compare.hasUnit(u.unit()) ? compare.unit(u.unit()).R() : Double.NaN, compared, u.unit());
                }
            }
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
        boolean anyVirtual = stats != null && stats.units().stream().anyMatch(UnitStats::isVirtual);
        if (anyVirtual) {
            for (UnitStats u : stats.units()) {
                data.addValue(u.isVirtual() ? u.R() : null, VIRTUAL_UNITS, u.unit());
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
        if (compare != null && stats != null) {
            r.setSeriesPaint(data.getRowIndex(compared), dark ? new Color(0xe0e0e0) : new Color(0x303030));
            r.setSeriesStroke(data.getRowIndex(compared), new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND,
                    1f, new float[] {2f, 4f}, 0f));
        }
        if (overlaid) {
            r.setSeriesPaint(data.getRowIndex(over), ChartStyle.ESTIMATE);
            r.setSeriesStroke(data.getRowIndex(over), dotted);
        }
        if (anyVirtual) {
            // a hollow square around the R of every virtual unit (a virtual BN after a layer without its own)
            int v = data.getRowIndex(VIRTUAL_UNITS);
            r.setSeriesLinesVisible(v, false);
            r.setSeriesShape(v, new java.awt.geom.Rectangle2D.Double(-7, -7, 14, 14));
            r.setSeriesShapesFilled(v, false);
            r.setSeriesStroke(v, new BasicStroke(2f));
            r.setSeriesPaint(v, dark ? new Color(0xffd54f) : new Color(0x6a3d9a));
        }
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        NumberAxis spreadAxis = new NumberAxis("spread of r_c within the unit (IQR)");
        spreadAxis.setRange(0, 1);
        plot.setRangeAxis(1, spreadAxis);
        plot.setDataset(1, spread);
        plot.mapDatasetToRangeAxis(1, 1);
        LineAndShapeRenderer diamonds = new LineAndShapeRenderer(false, true);
        diamonds.setSeriesShape(0, new java.awt.geom.Path2D.Double(new java.awt.Polygon(new int[] {0, 5, 0, -5},
                new int[] {-5, 0, 5, 0}, 4)));
        diamonds.setSeriesPaint(0, new Color(0x8c564b));
        plot.setRenderer(1, diamonds);
        String title = stats == null ? "Retention per unit \u2014 run a statistics pass"
                : estimate ? "Retention per unit (local estimate): the damage each layer's own pruning does"
                + (compare == null ? "" : ", against " + compareLabel)
                : overlaid ? "Retention per unit: exact pass (R) and local estimate (R_est)"
                + (compare == null ? "" : ", against " + compareLabel)
                : compare == null ? "Retention per unit: signal collapse with depth"
                : "Retention per unit: this pass against " + compareLabel;
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
                                      String value, int channel, boolean dark) {
        NumberAxis x = new NumberAxis("channels, sorted by retention r_c (weakest first; dead last)");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
        plot.setGap(12);
        List<RepairMethod> shown = compared.stream().filter(previews::containsKey).toList();
        if (u != null && !shown.isEmpty()) {
            x.setRange(-0.5, u.channels() - 0.5);
            int[] order = RepairMetrics.channelsByRetention(u);
            XYSeriesCollection retention = retentionByKind(u, order);
            XYBarRenderer bars = bars(ChartStyle.PRUNED);
            bars.setSeriesPaint(1, RetentionPaintScale.COLLAPSED);
            bars.setSeriesPaint(2, RetentionPaintScale.DEAD);
            double[] extra = channelValues(u, previews).get(value);
            XYPlot top = new XYPlot(retention, null, axis(extra == null ? "r_c" : "r_c and " + value), bars);
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
            if (channel >= 0 && channel < u.channels()) {
                x.setLabel(x.getLabel() + "; marked: channel " + channel);
                for (Object sub : plot.getSubplots()) {
                    ((XYPlot) sub).addDomainMarker(inspected(position(order, channel), dark));
                }
            }
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

    /** The r_c bars in three series: live channels, collapsed ones (s2_p = 0) and dead ones (s2_d = 0, drawn at 1). */
    private static XYSeriesCollection retentionByKind(UnitStats u, int[] order) {
        double[] r = u.r();
        boolean[] dead = u.dead();
        boolean[] collapsed = u.collapsed();
        XYSeries live = new XYSeries("retention r_c (pruned / dense)", false, true);
        XYSeries lost = new XYSeries("collapsed (s2_p = 0; r_c only from eps)", false, true);
        XYSeries none = new XYSeries("dead (s2_d = 0: no dense signal)", false, true);
        for (int i = 0; i < order.length; i++) {
            int c = order[i];
            (dead[c] ? none : collapsed[c] ? lost : live).add(i, dead[c] ? 1.0 : r[c]);
        }
        XYSeriesCollection all = new XYSeriesCollection(live);
        all.addSeries(lost);
        all.addSeries(none);
        return all;
    }

    /** Where channel {@code c} sits in {@code order}. */
    static int position(int[] order, int c) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The marker of the inspected channel. */
    private static ValueMarker inspected(double x, boolean dark) {
        ValueMarker m = new ValueMarker(x, dark ? Color.WHITE : Color.BLACK, new BasicStroke(1.5f));
        m.setAlpha(0.6f);
        return m;
    }

    /**
     * Heatmap of channel retention, units (x) by channels (y), for the whole network: r_c, with
     * collapsed and dead channels in their own colours; with {@code compare} (a kept pass of the
     * same model), the difference r_c(this) - r_c(compare) instead. The inspected channel is boxed.
     */
    public static JFreeChart damageMap(NetworkStats stats, NetworkStats compare, String compareLabel, String unit,
                                       int channel, boolean dark) {
        DefaultXYZDataset data = new DefaultXYZDataset();
        String[] names = new String[stats == null ? 0 : stats.units().size()];
        int selectedX = -1;
        if (stats != null) {
            int total = stats.units().stream().mapToInt(UnitStats::channels).sum();
            double[][] xyz = new double[3][total];
            int k = 0;
            for (int i = 0; i < names.length; i++) {
                UnitStats u = stats.units().get(i);
                names[i] = u.unit();
                if (u.unit().equals(unit)) {
                    selectedX = i;
                }
                UnitStats other = compare != null && compare.hasUnit(u.unit()) ? compare.unit(u.unit()) : null;
                double[] r = u.r();
                double[] ro = other == null || other.channels() != u.channels() ? null : other.r();
                boolean[] dead = u.dead();
                boolean[] collapsed = u.collapsed();
                for (int c = 0; c < r.length; c++, k++) {
                    xyz[0][k] = i;
                    xyz[1][k] = c;
                    if (compare != null) {
                        xyz[2][k] = ro == null || dead[c] || other.dead()[c] ? Double.NaN : Math.min(r[c], 1) - Math.min(ro[c], 1);
                    } else {
                        xyz[2][k] = dead[c] ? Double.NaN : collapsed[c] ? RetentionPaintScale.COLLAPSED_VALUE : Math.min(r[c], 1.0);
                    }
                }
            }
            data.addSeries("r_c", xyz);
        }
        SymbolAxis x = new SymbolAxis("unit (input \u2192 output); click a cell to inspect that channel", names);
        x.setVerticalTickLabels(true);
        x.setGridBandsVisible(false);
        NumberAxis y = new NumberAxis("channel");
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        y.setLowerMargin(0);
        y.setUpperMargin(0);
        XYBlockRenderer r = new XYBlockRenderer();
        PaintScale scale = compare == null ? new RetentionPaintScale() : new DifferencePaintScale(largest(data));
        r.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, x, y, r);
        if (selectedX >= 0 && channel >= 0) {
            // a black box inside a white one: visible on every colour of both scales
            java.awt.geom.Rectangle2D cell = new java.awt.geom.Rectangle2D.Double(selectedX - 0.5, channel - 0.5, 1, 1);
            plot.addAnnotation(new XYShapeAnnotation(cell, new BasicStroke(4f), Color.WHITE));
            plot.addAnnotation(new XYShapeAnnotation(cell, new BasicStroke(1.5f), Color.BLACK));
        }
        boolean estimate = LocalEstimate.isEstimate(stats);
        String title = stats == null ? "Damage map \u2014 run a statistics pass"
                : estimate && compare == null ? "Damage map: estimated channel retention r_est (dark = lost, light = intact)"
                : estimate ? "Damage map: r_est of this pruning minus r_c of " + compareLabel
                : compare == null ? "Damage map: channel retention r_c (dark = lost, light = intact)"
                : "Damage map: r_c of this pass minus r_c of " + compareLabel;
        JFreeChart chart = chart(title, plot, dark);
        chart.removeLegend();
        if (compare == null) {
            LegendTitle kinds = new LegendTitle(() -> {
                LegendItemCollection items = new LegendItemCollection();
                items.add(new LegendItem("collapsed (s2_p = 0)", RetentionPaintScale.COLLAPSED));
                items.add(new LegendItem("dead (s2_d = 0)", RetentionPaintScale.DEAD));
                return items;
            });
            kinds.setPosition(RectangleEdge.BOTTOM);
            chart.addSubtitle(kinds);
        }
        NumberAxis legendAxis = new NumberAxis(compare == null ? (estimate ? "r_est" : "r_c")
                : (estimate ? "r_est \u2212 r_c" : "r_c difference") + " (red: this pass kept more)");
        legendAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        legend.setStripWidth(14);
        chart.addSubtitle(legend);
        ChartStyle.apply(chart, dark);
        return marked(chart, estimate, dark);
    }

    /** The largest |z| of a block dataset rounded up to 0.1 (at least 0.1): the range of a difference scale. */
    private static double largest(DefaultXYZDataset data) {
        double m = 0.1;
        for (int s = 0; s < data.getSeriesCount(); s++) {
            for (int i = 0; i < data.getItemCount(s); i++) {
                double z = data.getZValue(s, i);
                if (Double.isFinite(z)) {
                    m = Math.max(m, Math.abs(z));
                }
            }
        }
        return Math.ceil(m * 10 - 1e-9) / 10;
    }

    /**
     * Top-1 against sparsity: one line per model, method, parameters (lambda for asr) and
     * calibration N, never joining runs that differ in any of them, and each model's dense
     * top-1 as a dashed level. The axes leave room around every point.
     */
    public static JFreeChart runs(List<RunRecord> runs, boolean dark) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        List<String> models = runs.stream().map(RunRecord::model).distinct().toList();
        Map<String, List<RunRecord>> lines = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            lines.computeIfAbsent(runSeries(run, models.size() > 1), k -> new java.util.ArrayList<>()).add(run);
        }
        Map<String, Integer> perMethod = new java.util.HashMap<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, List<RunRecord>> e : lines.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), true, true);
            RunRecord first = e.getValue().get(0);
            e.getValue().forEach(run -> s.addOrUpdate(run.sparsity() * 100, run.top1() * 100));
            int i = data.getSeriesCount();
            int k = perMethod.merge(first.method(), 1, Integer::sum) - 1;
            r.setSeriesPaint(i, ChartStyle.methodColor(first.method()));
            r.setSeriesStroke(i, k == 0 ? new BasicStroke(2f) : new BasicStroke(2f, BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND, 1f, new float[] {2f + 3f * k, 3f}, 0f));
            r.setSeriesShape(i, SHAPES[(models.indexOf(first.model()) + k) % SHAPES.length]);
            data.addSeries(s);
            lo = Math.min(lo, s.getMinY());
            hi = Math.max(hi, s.getMaxY());
        }
        NumberAxis x = new NumberAxis("sparsity (%)");
        x.setAutoRangeIncludesZero(false);
        x.setAutoRangeMinimumSize(10);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis("top-1 (%)");
        y.setAutoRangeIncludesZero(false);
        y.setAutoRangeMinimumSize(10);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot plot = new XYPlot(data, x, y, r);
        for (String m : models) {
            double dense = runs.stream().filter(run -> run.model().equals(m) && !Double.isNaN(run.top1Dense()))
                    .mapToDouble(RunRecord::top1Dense).findFirst().orElse(Double.NaN);
            if (!Double.isNaN(dense)) {
                ValueMarker level = new ValueMarker(dense * 100, dark ? new Color(0xe0e0e0) : new Color(0x404040),
                        new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
                level.setLabel(String.format(java.util.Locale.ROOT, "dense %s%s", Formats.percent(dense),
                        models.size() > 1 ? " (" + m + ")" : ""));
                level.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.BOTTOM_LEFT);
                level.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_LEFT);
                level.setLabelPaint(level.getPaint());
                plot.addRangeMarker(level);
                lo = Math.min(lo, dense * 100);
                hi = Math.max(hi, dense * 100);
            }
        }
        if (lo <= hi) {
            double pad = Math.max(2, (hi - lo) * 0.08);
            y.setRange(Math.max(0, lo - pad), Math.min(100, hi + pad) + (hi + pad > 100 ? pad / 2 : 0));
            double xlo = runs.stream().mapToDouble(RunRecord::sparsity).min().orElse(0) * 100;
            double xhi = runs.stream().mapToDouble(RunRecord::sparsity).max().orElse(1) * 100;
            double xpad = Math.max(2, (xhi - xlo) * 0.06);
            x.setRange(xlo - xpad, xhi + xpad);
        }
        return chart(runs.isEmpty() ? "Top-1 against sparsity \u2014 press Apply & Evaluate or run a sweep"
                : "Top-1 against sparsity", plot, dark);
    }

    private static final java.awt.Shape[] SHAPES = {new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7),
        new java.awt.Rectangle(-3, -3, 6, 6), new java.awt.Polygon(new int[] {0, 4, -4}, new int[] {-4, 4, 4}, 3),
        new java.awt.Polygon(new int[] {0, 4, 0, -4}, new int[] {-5, 0, 5, 0}, 4)};

    /** The series a run belongs to: its model (when several), method and parameters, and calibration N. */
    static String runSeries(RunRecord run, boolean withModel) {
        return (withModel ? run.model() + ": " : "") + run.series() + ", N = " + run.n();
    }

    /**
     * One unit under the compared methods (two beside ASR), side by side, channels weakest
     * first: each bar is the channel's std after repair relative to dense, its dark inner part
     * the share that is still signal ({@code |rho_c|} times the bar), the dashed line r_c before
     * repair. The y axis covers the tallest bar.
     */
    public static JFreeChart teaching(UnitStats u, Map<RepairMethod, RepairPlan> previews, List<RepairMethod> compared,
                                      boolean dark) {
        NumberAxis y = axis("signal std after repair / dense");
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(y);
        plot.setGap(16);
        double top = 1.6;
        if (u != null && !previews.isEmpty()) {
            int[] order = RepairMetrics.channelsByRetention(u);
            double[] rho = u.rho();
            for (RepairMethod m : compared.stream().filter(previews::containsKey).toList()) {
                UnitRepair rep = previews.get(m).unit(u.unit());
                double[] after = relStd(rep);
                double[] signal = new double[after.length];
                for (int c = 0; c < after.length; c++) {
                    signal[c] = after[c] * Math.abs(rho[c]);
                    if (Double.isFinite(after[c])) {
                        top = Math.max(top, after[c] * 1.08);
                    }
                }
                XYSeriesCollection bars = new XYSeriesCollection(series(m.id() + " after repair", order, after));
                NumberAxis x = new NumberAxis(m.id() + ": channels, weakest first");
                x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                XYPlot p = new XYPlot(bars, x, null, bars(ChartStyle.methodColor(m.id())));
                p.setDataset(1, new XYSeriesCollection(series("of which signal (\u00d7 |\u03c1_c|)", order, signal)));
                XYBarRenderer inner = bars(ChartStyle.methodColor(m.id()).darker().darker());
                inner.setMargin(0.45);
                inner.setSeriesVisibleInLegend(0, plot.getSubplots().isEmpty());
                p.setRenderer(1, inner);
                p.setDataset(2, new XYSeriesCollection(series("before repair (r_c)", order, u.r())));
                XYLineAndShapeRenderer before = lines(dark ? new Color(0xf0f0f0) : Color.BLACK);
                before.setSeriesStroke(0, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                        new float[] {5f, 3f}, 0f));
                before.setSeriesVisibleInLegend(0, plot.getSubplots().isEmpty());
                p.setRenderer(2, before);
                p.addRangeMarker(one());
                p.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
                plot.add(p, 1);
            }
        }
        double cap = 50;
        y.setRange(0, Math.min(top, cap));
        y.setStandardTickUnits(coarseTicks());
        String title = u == null ? "Teaching view \u2014 run a statistics pass" : "The same channels of " + u.unit()
                + " under " + compared.size() + " repairs" + (top > cap ? " (bars above " + (int) cap + " are cut at the top)" : "");
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
