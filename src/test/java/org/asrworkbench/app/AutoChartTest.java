package org.asrworkbench.app;

import org.asrworkbench.app.chart.AutoChart;
import org.asrworkbench.app.chart.ChartExport;
import org.asrworkbench.core.experiments.CandidateScore;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.BasicStroke;
import java.awt.geom.Rectangle2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The auto chart's dataset (asr points, baseline lines, the chosen candidate) and its drawing. */
class AutoChartTest {
    /** bn-recal, layer-wise, channel-wise (failed), asr 1, asr 0, asr 0.25 (not in lambda order, on purpose). */
    private static final List<CandidateScore> CANDIDATES = List.of(
            CandidateScore.scored(RepairSettings.of(RepairMethod.BN_RECAL), 0.050, 0.90),
            CandidateScore.scored(RepairSettings.of(RepairMethod.LAYER_WISE), 0.080, 0.85),
            CandidateScore.failed(RepairSettings.of(RepairMethod.CHANNEL_WISE), "non-finite statistics in unit conv1", 1),
            CandidateScore.scored(asr(1), 0.030, 0.93),
            CandidateScore.scored(asr(0), 0.060, 0.88),
            CandidateScore.scored(asr(0.25), 0.020, 0.95));
    private static final int ASR_025 = 5;
    private static final int BN_RECAL = 0;

    @TempDir
    Path tmp;

    private static RepairSettings asr(double lambda) {
        return RepairSettings.of(RepairMethod.ASR, "lambda", lambda);
    }

    @Test
    void asrPointsByLambdaWithZeroAtTheLeftBaselinesAndFailures() {
        AutoChart.Data d = AutoChart.data(CANDIDATES, ASR_025);
        assertEquals(List.of(new AutoChart.Point(0, 0.25 / 4, 0.060), new AutoChart.Point(0.25, 0.25, 0.020),
                new AutoChart.Point(1, 1, 0.030)), d.asr());
        assertTrue(d.hasZero());
        assertEquals(new AutoChart.Point(0.25, 0.25, 0.020), d.chosen());
        assertEquals(List.of(new AutoChart.Baseline(RepairMethod.BN_RECAL, 0.050, false),
                new AutoChart.Baseline(RepairMethod.LAYER_WISE, 0.080, false)), d.baselines());
        assertEquals(List.of("channel-wise: non-finite statistics in unit conv1"), d.failed());
    }

    @Test
    void chartDrawsTheCurveTheLinesAndRingsTheChosenAsr() throws Exception {
        JFreeChart chart = AutoChart.chart(CANDIDATES, ASR_025, false);
        XYPlot plot = chart.getXYPlot();
        XYDataset data = plot.getDataset();
        assertEquals(2, data.getSeriesCount());
        assertEquals(3, data.getItemCount(0));
        assertEquals(0.25 / 4, data.getXValue(0, 0));
        assertEquals(0.020, data.getYValue(0, 1));
        assertEquals(1, data.getItemCount(1), "the chosen point");
        assertEquals(0.25, data.getXValue(1, 0));
        assertEquals(0.020, data.getYValue(1, 0));
        assertEquals("chosen: asr (lambda 0.25)", data.getSeriesKey(1));
        assertInstanceOf(LogAxis.class, plot.getDomainAxis());
        assertTrue(plot.getDomainAxis().getLabel().contains("0 drawn at the left"), plot.getDomainAxis().getLabel());
        java.awt.Graphics2D g2 = new java.awt.image.BufferedImage(10, 10, java.awt.image.BufferedImage.TYPE_INT_RGB)
                .createGraphics();
        List<ValueTick> ticks = ((List<?>) plot.getDomainAxis().refreshTicks(g2, new AxisState(),
                new Rectangle2D.Double(0, 0, 800, 400), RectangleEdge.BOTTOM)).stream().map(t -> (ValueTick) t).toList();
        assertTrue(ticks.stream().anyMatch(t -> t.getValue() == 0.25 / 4 && t.getText().equals("0")), "a tick labelled 0");
        assertTrue(ticks.stream().noneMatch(t -> t.getValue() > 0.25 / 4 && t.getValue() < 0.125),
                "no tick between 0 and the smallest positive lambda: " + ticks.stream().map(ValueTick::getValue).toList());

        List<ValueMarker> lines = markers(plot.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND));
        assertEquals(List.of(0.050, 0.080), lines.stream().map(ValueMarker::getValue).toList());
        assertEquals("bn-recal  KL 0.05000", lines.get(0).getLabel());
        assertInstanceOf(NumberAxis.class, plot.getRangeAxis(), "KLs within a factor 30: a linear axis");
        assertTrue(plot.getRangeAxis().getRange().contains(0.080) && plot.getRangeAxis().getRange().contains(0.020));
        assertTrue(((TextTitle) chart.getSubtitle(0)).getText().contains("channel-wise: non-finite"));

        Path png = tmp.resolve("auto.png");
        ChartExport.write(chart, png, 900, 500);
        assertEquals(900, ImageIO.read(png.toFile()).getWidth());
        Path svg = tmp.resolve("auto.svg");
        ChartExport.write(AutoChart.chart(CANDIDATES, ASR_025, true), svg, 900, 500);
        assertTrue(Files.readString(svg).contains("bn-recal  KL 0.05000"));
    }

    @Test
    void aChosenBaselineIsDrawnSolidAndLabelled() {
        JFreeChart chart = AutoChart.chart(CANDIDATES, BN_RECAL, false);
        XYPlot plot = chart.getXYPlot();
        assertEquals(1, plot.getDataset().getSeriesCount(), "no ringed asr point");
        assertNull(AutoChart.data(CANDIDATES, BN_RECAL).chosen());
        List<ValueMarker> lines = markers(plot.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND));
        ValueMarker bn = lines.get(lines.size() - 1);
        assertEquals(0.050, bn.getValue(), "the chosen line is drawn last, on top");
        assertEquals("bn-recal  KL 0.05000  \u2014 chosen", bn.getLabel());
        assertEquals(3f, ((BasicStroke) bn.getStroke()).getLineWidth());
    }

    @Test
    void klsSpanningOrdersOfMagnitudeUseALogAxis() {
        List<CandidateScore> spread = List.of(CandidateScore.scored(RepairSettings.of(RepairMethod.LAYER_WISE), 2.5, 0.3),
                CandidateScore.scored(asr(0.5), 0.01, 0.97));
        XYPlot plot = AutoChart.chart(spread, 1, false).getXYPlot();
        assertInstanceOf(LogAxis.class, plot.getRangeAxis());
        assertTrue(plot.getRangeAxis().getRange().contains(2.5) && plot.getRangeAxis().getRange().contains(0.01));
    }

    @Test
    void noCandidatesGiveAHint() {
        JFreeChart chart = AutoChart.chart(List.of(), -1, false);
        assertTrue(chart.getTitle().getText().contains("press Auto"), chart.getTitle().getText());
        assertTrue(AutoChart.data(List.of(), -1).isEmpty());
    }

    private static List<ValueMarker> markers(Collection<?> markers) {
        return markers == null ? List.of() : markers.stream().map(m -> (ValueMarker) (Marker) m).toList();
    }
}
