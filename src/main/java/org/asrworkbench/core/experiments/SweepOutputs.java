package org.asrworkbench.core.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.asrworkbench.core.util.AtomicFiles;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a sweep's results: every cell ({@code results.csv}, {@code results.json}), the mean
 * and standard deviation over seeds ({@code summary.csv}), and one PNG per pruning kind of
 * top-1 against sparsity per method ({@code top1-<kind>.png}). Every file is written atomically,
 * so an interrupted sweep never leaves a half-written file.
 */
public final class SweepOutputs {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Mean ± std over seeds of one (model, kind, sparsity, series). */
    public record SummaryRow(String model, String prune, double sparsity, String series, int seeds, double top1Mean,
                             double top1Std, double top1Pruned, double top1Dense) {
    }

    /** Okabe–Ito colours: distinguishable for colour-blind readers and on white. */
    private static final Color[] PALETTE = {new Color(0xD55E00), new Color(0x0072B2), new Color(0x009E73),
        new Color(0xE69F00), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442)};

    private SweepOutputs() {
    }

    /**
     * The tables of a sweep over {@code grid}: {@code rows} are its done cells in grid order. A
     * single-process sweep and {@code sweep merge} of its shards write the same files this way.
     */
    public static void writeAll(Path dir, SweepGrid grid, List<SweepRow> rows) throws IOException {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("grid", grid.toJson());
        settings.put("cells", grid.cellCount());
        writeAll(dir, rows, settings);
    }

    public static void writeAll(Path dir, List<SweepRow> rows, Map<String, Object> settings) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        writeCsv(dir.resolve("results.csv"), SweepRow.CSV_HEADER, rows.stream().map(SweepRow::csv).toList());
        Map<String, Object> json = new LinkedHashMap<>(settings);
        json.put("rows", rows);
        List<SummaryRow> summary = summarise(rows);
        json.put("summary", summary);
        AtomicFiles.write(dir.resolve("results.json"), out -> MAPPER.writeValue(out, json));
        writeCsv(dir.resolve("summary.csv"), "model,prune,sparsity,series,seeds,top1Mean,top1Std,top1Pruned,top1Dense",
                summary.stream().map(s -> String.join(",", s.model(), s.prune(), Double.toString(s.sparsity()),
                        '"' + s.series() + '"', Integer.toString(s.seeds()), fmt(s.top1Mean()), fmt(s.top1Std()),
                        fmt(s.top1Pruned()), fmt(s.top1Dense()))).toList());
        for (String kind : rows.stream().map(SweepRow::prune).distinct().toList()) {
            JFreeChart chart = plot(kind, summary.stream().filter(s -> s.prune().equals(kind)).toList());
            byte[] png = png(chart, 900, 600);
            AtomicFiles.write(dir.resolve("top1-" + kind + ".png"), out -> out.write(png));
        }
    }

    /** Groups rows by (model, kind, sparsity, series) in first-seen order; std is the sample std (n - 1). */
    public static List<SummaryRow> summarise(List<SweepRow> rows) {
        Map<String, List<SweepRow>> groups = new LinkedHashMap<>();
        for (SweepRow r : rows) {
            groups.computeIfAbsent(r.model() + "|" + r.prune() + "|" + r.sparsity() + "|" + r.series(),
                    k -> new ArrayList<>()).add(r);
        }
        List<SummaryRow> out = new ArrayList<>();
        for (List<SweepRow> g : groups.values()) {
            double mean = g.stream().mapToDouble(SweepRow::top1).average().orElse(Double.NaN);
            double ss = g.stream().mapToDouble(r -> (r.top1() - mean) * (r.top1() - mean)).sum();
            double std = g.size() > 1 ? Math.sqrt(ss / (g.size() - 1)) : 0;
            SweepRow f = g.get(0);
            out.add(new SummaryRow(f.model(), f.prune(), f.sparsity(), f.series(), g.size(), mean, std,
                    f.top1Pruned(), f.top1Dense()));
        }
        return out;
    }

    /** Top-1 (mean, with a ±std band) against sparsity, one series per method. */
    public static JFreeChart plot(String kind, List<SummaryRow> summary) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        Map<String, YIntervalSeries> series = new LinkedHashMap<>();
        for (SummaryRow s : summary) {
            series.computeIfAbsent(s.model() + ": " + s.series(), YIntervalSeries::new)
                    .add(s.sparsity(), s.top1Mean(), s.top1Mean() - s.top1Std(), s.top1Mean() + s.top1Std());
        }
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart("Top-1 after repair, " + kind + " pruning", "sparsity",
                "top-1", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        DeviationRenderer r = new DeviationRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesFillPaint(i, PALETTE[i % PALETTE.length]);
        }
        r.setAlpha(0.15f);
        plot.setRenderer(r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * The chart as PNG bytes, encoded in memory: ImageIO's default stream caches in a temporary
     * file, so a full disk failed as "I/O error writing PNG file!" with no file named, and its
     * closer thread threw a NullPointerException. The file is then written like any other.
     */
    static byte[] png(JFreeChart chart, int width, int height) throws IOException {
        java.awt.image.BufferedImage image = chart.createBufferedImage(width, height);
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("png").next();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream out = new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(image);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static void writeCsv(Path file, String header, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder(header).append('\n');
        lines.forEach(l -> sb.append(l).append('\n'));
        AtomicFiles.write(file, out -> out.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
