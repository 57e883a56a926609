package org.asrworkbench.app;

import org.asrworkbench.app.chart.Charts;
import org.asrworkbench.app.model.Heterogeneity;
import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.service.SessionFile;
import org.asrworkbench.app.service.SessionFormatException;
import org.asrworkbench.core.repair.Preview;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.StatsJson;
import org.asrworkbench.core.stats.UnitStats;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Charts, heterogeneity and files of issue 19 on small hand-made inputs, without the FX toolkit. */
class ChartsAndFilesTest {
    @TempDir
    Path tmp;

    /** Four channels: three nearly lost (r_c = 0.01), one intact, so layer-wise repair doubles the intact one. */
    private static UnitStats unit() {
        double[] one = {1, 1, 1, 1};
        return new UnitStats("conv", "bn", 0, one, new double[4], one, new double[4], one, new double[4],
                new double[] {1e-4, 1e-4, 1e-4, 1}, new double[] {0.1, 0.2, 0.3, 1});
    }

    private static Map<RepairMethod, RepairPlan> previews(NetworkStats s) {
        Map<RepairMethod, RepairPlan> p = new java.util.LinkedHashMap<>();
        for (RepairMethod m : org.asrworkbench.core.repair.RepairMethods.builtins()) {
            p.put(m, Preview.preview(s, RepairSettings.of(m)));
        }
        return p;
    }

    @Test
    void teachingAxisCoversTheTallestBar() {
        NetworkStats s = new NetworkStats(Map.of(), List.of(unit()));
        JFreeChart chart = Charts.teaching(unit(), previews(s), Charts.COMPARED, false);
        CombinedRangeXYPlot plot = (CombinedRangeXYPlot) chart.getPlot();
        double tallest = 0;
        for (Object sub : plot.getSubplots()) {
            XYDataset bars = ((XYPlot) sub).getDataset(0);
            for (int i = 0; i < bars.getItemCount(0); i++) {
                tallest = Math.max(tallest, bars.getYValue(0, i));
            }
        }
        assertTrue(tallest > 1.9, "layer-wise doubles the intact channel: " + tallest);
        assertTrue(plot.getRangeAxis().getUpperBound() > tallest, plot.getRangeAxis().getRange() + " cuts " + tallest);
        XYDataset signal = ((XYPlot) plot.getSubplots().get(1)).getDataset(1);
        assertEquals(((XYPlot) plot.getSubplots().get(1)).getDataset(0).getYValue(0, 0) * 0.1, signal.getYValue(0, 0), 1e-12,
                "the inner bar is |rho_c| of the bar (channel-wise, weakest channel)");
    }

    @Test
    void heterogeneityIsTheSpreadOfRetention() {
        Heterogeneity h = Heterogeneity.of(unit());
        assertEquals(0.75, h.weak());
        assertEquals(0.25, h.strong());
        // r_c sorted 0.01, 0.01, 0.01, 1: Q1 = 0.01, Q3 = 0.01 + 0.25 * 0.99
        assertEquals(0.25 * 0.99, h.iqr(), 1e-12);
    }

    @Test
    void runsChartKeepsModelsMethodsParametersAndNApart() {
        List<RunRecord> runs = new ArrayList<>();
        runs.add(run("a.safetensors", "asr", 0.8, 64, 0.80, 0.91));
        runs.add(run("a.safetensors", "asr", 0.9, 64, 0.70, 0.91));
        runs.add(run("a.safetensors", "asr", 0.8, 128, 0.82, 0.91));
        runs.add(run("b.safetensors", "asr", 0.9, 64, 0.60, 0.95));
        runs.add(run("b.safetensors", "none", 0.9, 64, 0.10, 0.95));
        JFreeChart chart = Charts.runs(runs, false);
        XYPlot plot = chart.getXYPlot();
        XYSeriesCollection data = (XYSeriesCollection) plot.getDataset();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            keys.add(data.getSeriesKey(i).toString());
        }
        RunRecord a = runs.get(0);
        assertEquals(List.of("a.safetensors: " + a.series() + ", N = 64", "a.safetensors: " + a.series() + ", N = 128",
                "b.safetensors: " + a.series() + ", N = 64", "b.safetensors: " + runs.get(4).series() + ", N = 64"), keys);
        assertEquals(2, plot.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND).size(), "a dense level per model");
        for (RunRecord r : runs) {
            assertTrue(plot.getRangeAxis().getRange().getLowerBound() < r.top1() * 100
                    && plot.getRangeAxis().getRange().getUpperBound() > r.top1() * 100, "top-1 " + r.top1() + " clipped");
            assertTrue(plot.getDomainAxis().getRange().getLowerBound() < r.sparsity() * 100
                    && plot.getDomainAxis().getRange().getUpperBound() > r.sparsity() * 100, "sparsity clipped");
        }
        assertTrue(plot.getRangeAxis().getUpperBound() > 95, "the dense level is in view");
    }

    private static RunRecord run(String model, String method, double sparsity, int n, double top1, double dense) {
        return new RunRecord(model, "global-magnitude", sparsity, sparsity, method, 0.25, n, "0", top1, 100, 1, null,
                dense, 0.05, "cifar");
    }

    @Test
    void aStatisticsJsonLoadedAsASessionIsNamed() throws Exception {
        Path stats = tmp.resolve("stats.json");
        StatsJson.write(stats, new NetworkStats(Map.of(NetworkStats.METHOD, "asr"), List.of(unit())));
        SessionFormatException e = assertThrows(SessionFormatException.class, () -> SessionFile.read(stats));
        assertTrue(e.getMessage().contains("it is a statistics JSON"), e.getMessage());
        assertTrue(!e.getMessage().contains("version 0"), e.getMessage());
    }

    @Test
    void anOlderSessionsRunsReadUnmeasuredFiguresAsNaN() throws Exception {
        Path old = tmp.resolve("old.asrsession.json");
        Files.writeString(old, "{\"version\": 1, \"pruneKind\": \"global-magnitude\", \"sparsity\": 0.9, \"method\": \"asr\","
                + " \"lambda\": 0.25, \"calibN\": 64, \"seed\": \"0\", \"runs\": [{\"model\": \"m\", \"pruning\": \"global-magnitude\","
                + " \"sparsity\": 0.9, \"achieved\": 0.9, \"method\": \"asr\", \"lambda\": 0.25, \"n\": 64, \"seed\": \"0\","
                + " \"top1\": 0.8, \"images\": 100, \"seconds\": 1.0}]}");
        RunRecord r = SessionFile.read(old).runs().get(0);
        assertTrue(Double.isNaN(r.top1Dense()) && Double.isNaN(r.top1Pruned()), r.toString());
        Path again = tmp.resolve("again.asrsession.json");
        SessionFile.read(old).write(again);
        assertTrue(Double.isNaN(SessionFile.read(again).runs().get(0).top1Dense()), "NaN survives a save");
    }

    @Test
    void savedFilesGetTheFiltersExtension() {
        assertEquals(Path.of("/x/s1.asrsession.json"), org.asrworkbench.app.view.MainWindow.withExtension(Path.of("/x/s1"),
                ".asrsession.json"));
        assertEquals(Path.of("/x/runs.png"), org.asrworkbench.app.view.MainWindow.withExtension(Path.of("/x/runs"), ".png"));
        assertEquals(Path.of("/x/session.json"), org.asrworkbench.app.view.MainWindow.withExtension(
                Path.of("/x/session.json"), ".asrsession.json"), "a .json session name is kept (Load lists *.json too)");
        assertEquals(Path.of("/x/RUNS.PNG"), org.asrworkbench.app.view.MainWindow.withExtension(Path.of("/x/RUNS.PNG"), ".png"));
    }
}
