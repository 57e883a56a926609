package org.asrworkbench.app.view;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;
import org.jfree.chart.JFreeChart;

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
    private final BooleanProperty active = new SimpleBooleanProperty(this, "active", true);
    private final AtomicLong requested = new AtomicLong();
    private long shown;
    private boolean stale = true;
    private double renderedWidth;
    private double renderedHeight;

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

    @Override
    protected void layoutChildren() {
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
            try {
                BufferedImage img = chart.get().createBufferedImage(pw, ph);
                fx = requested.get() == id ? SwingFXUtils.toFXImage(img, null) : null;
            } catch (RuntimeException e) {
                fx = null; // a chart that cannot be drawn keeps the previous image
            }
            Image done = fx;
            Platform.runLater(() -> {
                if (requested.get() == id) {
                    if (done != null) {
                        image.setImage(done);
                    }
                    shown = id;
                }
            });
        });
    }
}
