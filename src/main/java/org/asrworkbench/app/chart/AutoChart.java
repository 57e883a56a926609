package org.asrworkbench.app.chart;

import org.asrworkbench.core.experiments.CandidateScore;
import org.asrworkbench.core.repair.RepairMethod;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.Ellipse2D;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The chart of {@code auto}'s candidates: each {@code asr} candidate's KL divergence from the
 * dense network against {@code lambda} (log axis; {@code lambda = 0} is drawn two octaves left of
 * the smallest positive one, at a tick labelled 0), the other methods as labelled horizontal lines, and
 * the chosen candidate ringed (a chosen method other than {@code asr}: its line drawn solid and
 * thick). Failed candidates are listed under the title. {@link #data} is the dataset, the chart
 * is drawn from it.
 */
public final class AutoChart {
    /** How far left of the smallest positive lambda {@code lambda = 0} is drawn (a factor). */
    static final double ZERO_OFFSET = 4;
    /** Above this ratio of the largest to the smallest KL, the KL axis is logarithmic. */
    static final double LOG_KL_RATIO = 30;

    private AutoChart() {
    }

    /** An {@code asr} candidate: its lambda, where it is drawn on the lambda axis, its KL. */
    public record Point(double lambda, double x, double kl) {
    }

    /** A candidate of another method (a horizontal line at its KL). */
    public record Baseline(RepairMethod method, double kl, boolean chosen) {
        /** The line's label, e.g. {@code bn-recal  KL 0.0123 (chosen)}. */
        public String label() {
            return String.format(Locale.ROOT, "%s  KL %.4g%s", method.id(), kl, chosen ? "  \u2014 chosen" : "");
        }
    }

    /**
     * What the chart shows.
     *
     * @param asr       the asr candidates that did not fail, by lambda
     * @param chosen    the chosen asr candidate, or null when the choice is another method or none
     * @param baselines the other methods' candidates that did not fail, in the given order
     * @param failed    labels and reasons of the failed candidates
     */
    public record Data(List<Point> asr, Point chosen, List<Baseline> baselines, List<String> failed) {
        public boolean isEmpty() {
            return asr.isEmpty() && baselines.isEmpty() && failed.isEmpty();
        }

        /** True when an asr candidate has {@code lambda = 0} (drawn at the left edge). */
        public boolean hasZero() {
            return asr.stream().anyMatch(p -> p.lambda() == 0);
        }
    }

    /** The dataset of the chart for auto's candidates and the chosen index (-1: none). */
    public static Data data(List<CandidateScore> candidates, int chosen) {
        double minPositive = candidates.stream().filter(c -> !c.isFailed() && c.lambda() != null && c.lambda() > 0)
                .mapToDouble(CandidateScore::lambda).min().orElse(ZERO_OFFSET * 0.01);
        List<Point> asr = new ArrayList<>();
        List<Baseline> baselines = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Point chosenPoint = null;
        for (int i = 0; i < candidates.size(); i++) {
            CandidateScore c = candidates.get(i);
            if (c.isFailed()) {
                failed.add(c.label() + ": " + (c.error() == null ? "non-finite score" : c.error()));
            } else if (c.settings().method() == RepairMethod.ASR) {
                double lambda = c.lambda();
                Point p = new Point(lambda, lambda > 0 ? lambda : minPositive / ZERO_OFFSET, c.kl());
                asr.add(p);
                if (i == chosen) {
                    chosenPoint = p;
                }
            } else {
                baselines.add(new Baseline(c.settings().method(), c.kl(), i == chosen));
            }
        }
        asr.sort(Comparator.comparingDouble(Point::x));
        return new Data(List.copyOf(asr), chosenPoint, List.copyOf(baselines), List.copyOf(failed));
    }

    /** The chart of auto's candidates (an empty chart with a hint when there are none). */
    public static JFreeChart chart(List<CandidateScore> candidates, int chosen, boolean dark) {
        Data d = data(candidates, chosen);
        Color fg = ChartStyle.foreground(dark);
        XYSeriesCollection series = new XYSeriesCollection();
        XYSeries asr = new XYSeries("asr: KL against \u03bb", false, true);
        d.asr().forEach(p -> asr.add(p.x(), p.kl()));
        series.addSeries(asr);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        Color asrColor = ChartStyle.methodColor(RepairMethod.ASR.id());
        r.setSeriesPaint(0, asrColor);
        r.setSeriesStroke(0, new BasicStroke(2f));
        r.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        if (d.chosen() != null) {
            XYSeries c = new XYSeries("chosen: " + candidates.get(chosen).label(), false, true);
            c.add(d.chosen().x(), d.chosen().kl());
            series.addSeries(c);
            r.setSeriesPaint(1, fg);
            r.setSeriesLinesVisible(1, false);
            r.setSeriesShape(1, new Ellipse2D.Double(-9, -9, 18, 18));
            r.setSeriesShapesFilled(1, false);
            r.setUseOutlinePaint(false);
            r.setDrawOutlines(true);
            r.setSeriesStroke(1, new BasicStroke(2.5f));
        }
        LambdaAxis x = new LambdaAxis(d.hasZero() ? "shrinkage \u03bb (log scale; 0 drawn at the left)"
                : "shrinkage \u03bb (log scale)", d.hasZero() ? d.asr().get(0).x() : Double.NaN);
        double xLo = d.asr().stream().mapToDouble(Point::x).min().orElse(0.1);
        double xHi = d.asr().stream().mapToDouble(Point::x).max().orElse(4);
        x.setRange(xLo / 1.5, xHi * 1.5);
        ValueAxis y = klAxis(d);
        XYPlot plot = new XYPlot(series, x, y, r);
        List<Baseline> byKl = new ArrayList<>(d.baselines());
        byKl.sort(Comparator.comparingDouble(Baseline::kl));
        List<ValueMarker> markers = new ArrayList<>();
        for (int i = 0; i < byKl.size(); i++) {
            // Each label goes to the side where the asr curve is further from its line; a line close below the
            // next one is labelled under it, so the two labels do not overlap.
            double kl = byKl.get(i).kl();
            boolean left = d.asr().isEmpty() ? i % 2 == 1
                    : Math.abs(kl - d.asr().get(0).kl()) > Math.abs(kl - d.asr().get(d.asr().size() - 1).kl());
            boolean crowded = i + 1 < byKl.size() && closeOnAxis(y, kl, byKl.get(i + 1).kl());
            markers.add(marker(byKl.get(i), left, !crowded, fg, dark));
        }
        // The chosen line is drawn last, on top of any line it is close to.
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < byKl.size(); i++) {
                if (byKl.get(i).chosen() == (pass == 1)) {
                    plot.addRangeMarker(markers.get(i));
                }
            }
        }
        String title = d.isEmpty() ? "Auto \u2014 press Auto to choose the method and \u03bb without labels"
                : "KL to the dense network on the selection set (lower is better)";
        JFreeChart chart = Charts.chart(title, plot, dark);
        if (!d.failed().isEmpty()) {
            TextTitle t = new TextTitle("failed, never chosen: " + String.join("; ", d.failed()),
                    new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            t.setPaint(ChartStyle.PRUNED);
            t.setPosition(RectangleEdge.TOP);
            chart.addSubtitle(0, t);
        }
        return chart;
    }

    /** The KL axis, logarithmic when the KLs span more than {@link #LOG_KL_RATIO}; its range covers every line and point. */
    private static ValueAxis klAxis(Data d) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Point p : d.asr()) {
            lo = Math.min(lo, p.kl());
            hi = Math.max(hi, p.kl());
        }
        for (Baseline b : d.baselines()) {
            lo = Math.min(lo, b.kl());
            hi = Math.max(hi, b.kl());
        }
        String label = "mean KL(dense \u2016 repaired)";
        if (lo > 0 && hi / lo > LOG_KL_RATIO) {
            LogAxis a = new LogAxis(label + ", log scale");
            a.setBase(10);
            a.setSmallestValue(1e-12);
            a.setNumberFormatOverride(new DecimalFormat("0.####"));
            a.setRange(lo / 1.4, hi * 1.6);
            return a;
        }
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        if (lo <= hi) {
            double pad = Math.max((hi - lo) * 0.12, Math.abs(hi) * 0.02 + 1e-9);
            a.setRange(Math.max(0, lo - pad), hi + pad);
        }
        return a;
    }

    /**
     * A base-2 log axis for lambda that, when {@code lambda = 0} is drawn (at {@code zeroX}),
     * labels that position "0" and drops the ticks between it and the positive lambdas, which
     * would otherwise suggest values no candidate has.
     */
    private static final class LambdaAxis extends LogAxis {
        private static final long serialVersionUID = 1L;
        private final double zeroX;

        LambdaAxis(String label, double zeroX) {
            super(label);
            this.zeroX = zeroX;
            setBase(2);
            setSmallestValue(1e-6);
            setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            setNumberFormatOverride(new DecimalFormat("0.###"));
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            List ticks = super.refreshTicks(g2, state, dataArea, edge);
            if (Double.isNaN(zeroX)) {
                return ticks;
            }
            List out = new ArrayList<>();
            for (Object t : ticks) {
                if (((ValueTick) t).getValue() > zeroX * ZERO_OFFSET / 1.3) {
                    out.add(t);
                }
            }
            out.add(new NumberTick(TickType.MAJOR, zeroX, "0", TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0));
            return out;
        }
    }

    /** True when two KL values are less than 6% of the axis apart (their labels would overlap). */
    private static boolean closeOnAxis(ValueAxis axis, double a, double b) {
        if (axis instanceof LogAxis) {
            return Math.abs(Math.log(b / a)) < 0.06 * Math.log(axis.getUpperBound() / axis.getLowerBound());
        }
        return Math.abs(b - a) < 0.06 * axis.getRange().getLength();
    }

    private static ValueMarker marker(Baseline b, boolean left, boolean above, Color fg, boolean dark) {
        Color c = ChartStyle.methodColor(b.method().id());
        BasicStroke stroke = b.chosen() ? new BasicStroke(3f)
                : new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {7f, 4f}, 0f);
        ValueMarker m = new ValueMarker(b.kl(), c, stroke);
        m.setLabel(b.label());
        m.setLabelFont(new Font(Font.SANS_SERIF, b.chosen() ? Font.BOLD : Font.PLAIN, 11));
        m.setLabelPaint(b.chosen() ? fg : dark ? c.brighter() : c.darker());
        if (above) {
            m.setLabelAnchor(left ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(left ? TextAnchor.BOTTOM_LEFT : TextAnchor.BOTTOM_RIGHT);
        } else {
            m.setLabelAnchor(left ? RectangleAnchor.BOTTOM_LEFT : RectangleAnchor.BOTTOM_RIGHT);
            m.setLabelTextAnchor(left ? TextAnchor.TOP_LEFT : TextAnchor.TOP_RIGHT);
        }
        m.setLabelOffset(new RectangleInsets(3, 6, 3, 6));
        Color bg = dark ? new Color(0x27, 0x2b, 0x33, 200) : new Color(255, 255, 255, 200);
        m.setLabelBackgroundColor(bg);
        return m;
    }
}
