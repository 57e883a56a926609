package org.asrworkbench.app.view;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Shows a chart rendered off the FX thread, so that redrawing a large chart (ResNet-56 has 55
 * units) never stalls the window while the lambda slider moves. The model state is captured on
 * the FX thread (references to immutable statistics and plans); the chart is built and drawn into
 * an image on a shared render thread. Only the newest request is drawn (older ones are skipped),
 * and a view that is not {@link #activeProperty() active} (a hidden tab) only remembers that it
 * is out of date.
 */
public final class ChartView extends Region {
    /** What a chart shows, taken from the model. */
    @FunctionalInterface
    public interface Source {
        /** Captures the model state (FX thread); the supplier builds the chart from it on any thread. */
        Supplier<JFreeChart> capture();
    }

    private static final ExecutorService RENDER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chart-render");
        t.setDaemon(true);
        return t;
    });

    private final Source source;
    private final ImageView image = new ImageView();
    private Label overlay;
    private final BooleanProperty active = new SimpleBooleanProperty(this, "active", true);
    private final AtomicLong requested = new AtomicLong();
    private long shown;
    private boolean stale = true;
    private double renderedWidth;
    private double renderedHeight;
    /** The XY plot of the image on screen and its data area (in view pixels), for mapping the mouse to data. */
    private XYPlot shownPlot;
    private Rectangle2D shownArea;

    public ChartView(Source source) {
        this.source = source;
        getStyleClass().add("chart-view");
        image.setPreserveRatio(false);
        image.setSmooth(true);
        getChildren().add(image);
        active.addListener((o, was, is) -> {
            if (is && stale) {
                requestLayout();
            }
        });
    }

    /** Whether the view is on screen; an inactive view defers redrawing until it becomes active. */
    public BooleanProperty activeProperty() {
        return active;
    }

    /** A new chart of the current model state (for export; FX thread). */
    public JFreeChart chart() {
        return source.capture().get();
    }

    /** What the chart shows changed: redraw now if active, otherwise when it becomes active. */
    public void invalidate() {
        stale = true;
        if (active.get()) {
            render();
        }
    }

    /** True when the image on screen shows the chart's latest state (no redraw pending). */
    public boolean isSettled() {
        return !stale && shown == requested.get();
    }

    /**
     * The data coordinates (x, y) under a point of this view, for an XY chart on screen; null
     * outside its data area or before the chart is drawn.
     */
    public Point2D dataAt(double x, double y) {
        XYPlot plot = shownPlot;
        Rectangle2D area = shownArea;
        if (plot == null || area == null || !area.contains(x, y)) {
            return null;
        }
        return new Point2D(plot.getDomainAxis().java2DToValue(x, area, plot.getDomainAxisEdge()),
                plot.getRangeAxis().java2DToValue(y, area, plot.getRangeAxisEdge()));
    }

    /** The point of this view that shows data coordinates (x, y), or null before an XY chart is drawn. */
    public Point2D viewAt(double x, double y) {
        XYPlot plot = shownPlot;
        Rectangle2D area = shownArea;
        if (plot == null || area == null) {
            return null;
        }
        return new Point2D(plot.getDomainAxis().valueToJava2D(x, area, plot.getDomainAxisEdge()),
                plot.getRangeAxis().valueToJava2D(y, area, plot.getRangeAxisEdge()));
    }

    /** A label drawn over the chart's top-left corner (the damage map's inspector); hidden while empty. */
    public Label overlay() {
        if (overlay == null) {
            overlay = new Label();
            overlay.getStyleClass().add("chart-overlay");
            overlay.setWrapText(true);
            overlay.setMaxWidth(340);
            overlay.visibleProperty().bind(overlay.textProperty().isNotEmpty());
            getChildren().add(overlay);
        }
        return overlay;
    }

    @Override
    protected void layoutChildren() {
        if (overlay != null) {
            overlay.autosize();
            Rectangle2D area = shownArea;
            double x = area == null ? 60 : area.getMinX() + 8;
            double y = area == null ? 40 : area.getMinY() + 8;
            overlay.relocate(x, y);
        }
        double w = getWidth();
        double h = getHeight();
        image.setFitWidth(w);
        image.setFitHeight(h);
        if (active.get() && (stale || w != renderedWidth || h != renderedHeight)) {
            render();
        }
    }

    @Override
    protected double computePrefWidth(double height) {
        return 600;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 400;
    }

    private void render() {
        double w = getWidth();
        double h = getHeight();
        if (w < 2 || h < 2) {
            return;
        }
        double scale = getScene() != null && getScene().getWindow() != null ? getScene().getWindow().getOutputScaleX() : 1;
        Supplier<JFreeChart> chart = source.capture();
        stale = false;
        renderedWidth = w;
        renderedHeight = h;
        long id = requested.incrementAndGet();
        int pw = (int) Math.ceil(w * scale);
        int ph = (int) Math.ceil(h * scale);
        RENDER.execute(() -> {
            if (requested.get() != id) {
                return;
            }
            Image fx;
            ChartRenderingInfo info = new ChartRenderingInfo();
            JFreeChart built = null;
            try {
                built = chart.get();
                BufferedImage img = built.createBufferedImage(pw, ph, info);
                fx = requested.get() == id ? SwingFXUtils.toFXImage(img, null) : null;
            } catch (RuntimeException e) {
                fx = null; // a chart that cannot be drawn keeps the previous image
            }
            Image done = fx;
            XYPlot plot = built != null && built.getPlot() instanceof XYPlot xy && xy.getRangeAxis() != null
                    && xy.getDomainAxis() != null ? xy : null;
            Rectangle2D area = info.getPlotInfo().getDataArea();
            Rectangle2D scaled = new Rectangle2D.Double(area.getX() / scale, area.getY() / scale,
                    area.getWidth() / scale, area.getHeight() / scale);
            Platform.runLater(() -> {
                if (requested.get() == id) {
                    if (done != null) {
                        image.setImage(done);
                        shownPlot = plot;
                        shownArea = scaled;
                        requestLayout();
                    }
                    shown = id;
                }
            });
        });
    }
}
