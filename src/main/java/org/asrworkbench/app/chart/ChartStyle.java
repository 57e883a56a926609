package org.asrworkbench.app.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Colours and fonts shared by every chart, for the light and the dark theme. */
public final class ChartStyle {
    /** The built-in methods' colours, by id (the first five as in earlier versions). */
    private static final Map<String, Color> BUILTIN_COLORS = Map.of("none", new Color(0x8c8c8c),
            "bn-recal", new Color(0x9467bd), "layer-wise", new Color(0x1f77b4), "channel-wise", new Color(0xff7f0e),
            "asr", new Color(0x2ca02c), "bias-corr", new Color(0x8c564b), "stat-corr", new Color(0xe377c2));
    /** Colours for other methods (rule files), none of them a built-in's, the weight's or the pruned network's. */
    private static final Color[] OTHER_COLORS = {new Color(0xbcbd22), new Color(0x393b79), new Color(0xad494a),
        new Color(0x637939), new Color(0x7b4173), new Color(0x3182bd), new Color(0xe6550d), new Color(0x31a354)};
    /** ASR's shrinkage weight w_c (a colour no method uses). */
    public static final Color WEIGHT = new Color(0x17becf);
    /** The pruned network before repair. */
    public static final Color PRUNED = new Color(0xd62728);

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private ChartStyle() {
    }

    /**
     * The colour of a repair method, by id: fixed for the built-ins, and for any other id one of
     * a further palette chosen by the id's hash, so any number of methods can be drawn and a rule
     * keeps its colour from chart to chart.
     */
    public static Color methodColor(String id) {
        Color c = BUILTIN_COLORS.get(id);
        return c != null ? c : OTHER_COLORS[Math.floorMod(id.hashCode(), OTHER_COLORS.length)];
    }

    /** Applies the theme to a chart and all its plots and axes. */
    public static void apply(JFreeChart chart, boolean dark) {
        Color bg = dark ? new Color(0x1e2127) : Color.WHITE;
        Color plotBg = dark ? new Color(0x272b33) : new Color(0xfafafa);
        Color fg = foreground(dark);
        Color grid = dark ? new Color(0x3c424d) : new Color(0xdde1e6);
        chart.setBackgroundPaint(bg);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getTitle() != null) {
            chart.getTitle().setPaint(fg);
            chart.getTitle().setFont(TITLE);
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            if (chart.getSubtitle(i) instanceof LegendTitle l) {
                l.setBackgroundPaint(bg);
                l.setItemPaint(fg);
                l.setItemFont(LABEL);
            } else if (chart.getSubtitle(i) instanceof PaintScaleLegend p) {
                p.setBackgroundPaint(bg);
                style(p.getAxis(), fg);
            }
        }
        for (Plot p : plots(chart.getPlot())) {
            p.setBackgroundPaint(plotBg);
            p.setOutlinePaint(grid);
            if (p instanceof XYPlot xy) {
                xy.setDomainGridlinePaint(grid);
                xy.setRangeGridlinePaint(grid);
                xy.setDomainGridlineStroke(new BasicStroke(0.5f));
                xy.setRangeGridlineStroke(new BasicStroke(0.5f));
                for (int a = 0; a < xy.getDomainAxisCount(); a++) {
                    style(xy.getDomainAxis(a), fg);
                }
                for (int a = 0; a < xy.getRangeAxisCount(); a++) {
                    style(xy.getRangeAxis(a), fg);
                }
            } else if (p instanceof CategoryPlot cp) {
                cp.setRangeGridlinePaint(grid);
                style(cp.getDomainAxis(), fg);
                style(cp.getRangeAxis(), fg);
            }
        }
    }

    /** The colour of text and axes in the theme (for annotations and marker labels). */
    public static Color foreground(boolean dark) {
        return dark ? new Color(0xdfe3ea) : new Color(0x24292f);
    }

    private static List<Plot> plots(Plot p) {
        List<Plot> out = new ArrayList<>();
        out.add(p);
        if (p instanceof CombinedRangeXYPlot c) {
            out.addAll(c.getSubplots());
        } else if (p instanceof CombinedDomainXYPlot c) {
            out.addAll(c.getSubplots());
        }
        return out;
    }

    private static void style(Axis a, Paint fg) {
        if (a == null) {
            return;
        }
        a.setLabelPaint(fg);
        a.setTickLabelPaint(fg);
        a.setLabelFont(LABEL);
        a.setTickLabelFont(TICK);
        a.setAxisLinePaint(fg);
        a.setTickMarkPaint(fg);
    }
}
