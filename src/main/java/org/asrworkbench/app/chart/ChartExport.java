package org.asrworkbench.app.chart;

import org.asrworkbench.app.service.AtomicText;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Writes a chart as PNG or SVG (chosen by the file's extension), atomically. */
public final class ChartExport {
    private ChartExport() {
    }

    public static void write(JFreeChart chart, Path file, int width, int height) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            SVGGraphics2D g = new SVGGraphics2D(width, height);
            chart.draw(g, new Rectangle(width, height));
            AtomicText.write(file, g.getSVGDocument());
        } else if (name.endsWith(".png")) {
            BufferedImage img = chart.createBufferedImage(width, height);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            AtomicText.write(file, out.toByteArray());
        } else {
            throw new IOException(file + ": choose a .png or .svg file name");
        }
    }
}
