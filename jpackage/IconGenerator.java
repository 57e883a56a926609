import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Draws the application icon, {@code assets/icon.png}: a row of channel bars (three of them
 * collapsed, as after pruning) under a heartbeat line, the "signal resuscitation" of ASR.
 * Run from the repository root: {@code java jpackage/IconGenerator.java assets/icon.png}.
 * The icon is committed; run this again only to change it.
 */
public final class IconGenerator {
    private static final int SIZE = 256;

    private IconGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java jpackage/IconGenerator.java OUTPUT.png");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        File out = new File(args[0]);
        if (!ImageIO.write(draw(), "png", out)) {
            throw new IOException(out + ": no PNG writer");
        }
    }

    static BufferedImage draw() {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);

        // Background: a rounded square with a dark blue gradient.
        g.setPaint(new GradientPaint(0, 0, new Color(0x1f3b63), 0, SIZE, new Color(0x0d1b2e)));
        g.fill(new RoundRectangle2D.Double(8, 8, SIZE - 16, SIZE - 16, 56, 56));

        // Channel bars: live ones in teal, collapsed ones (pruned away) as grey stubs.
        double[] heights = {0.62, 0.35, 0.08, 0.78, 0.5, 0.08, 0.42, 0.7, 0.08, 0.55};
        int n = heights.length;
        double left = 40, right = SIZE - 40, base = 206, top = 96;
        double slot = (right - left) / n;
        double bar = slot * 0.62;
        for (int i = 0; i < n; i++) {
            double h = heights[i] * (base - top);
            double x = left + i * slot + (slot - bar) / 2;
            boolean dead = heights[i] < 0.1;
            g.setColor(dead ? new Color(0x5b6b80) : new Color(0x3ccfb4));
            g.fill(new RoundRectangle2D.Double(x, base - h, bar, h, 6, 6));
        }

        // Heartbeat line across the top: the resuscitated signal.
        Path2D pulse = new Path2D.Double();
        double y = 70;
        pulse.moveTo(30, y);
        pulse.lineTo(92, y);
        pulse.lineTo(108, y - 30);
        pulse.lineTo(128, y + 34);
        pulse.lineTo(146, y - 44);
        pulse.lineTo(162, y);
        pulse.lineTo(SIZE - 30, y);
        g.setStroke(new BasicStroke(13f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(0x0d1b2e));
        g.draw(pulse);
        g.setStroke(new BasicStroke(8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(0xffb547));
        g.draw(pulse);

        // Baseline under the bars.
        g.setStroke(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(0xc8d3e0));
        g.drawLine(36, (int) base + 6, SIZE - 36, (int) base + 6);
        g.dispose();
        return img;
    }
}
