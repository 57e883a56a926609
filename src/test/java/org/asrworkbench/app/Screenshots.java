package org.asrworkbench.app;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Saves a node as PNG (call on the FX thread). */
final class Screenshots {
    private Screenshots() {
    }

    static void save(Node node, Path file) throws IOException {
        WritableImage img = node.snapshot(null, null);
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", file.toFile())) {
            throw new IOException(file + ": no PNG writer");
        }
    }
}
