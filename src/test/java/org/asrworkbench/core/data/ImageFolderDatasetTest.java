package org.asrworkbench.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderDatasetTest {
    private static final float JPEG_TOLERANCE = 3 / 255f;

    @TempDir
    Path root;

    @Test
    void listsClassesSortedAndReadsSolidColoursResizedAndCropped() throws IOException {
        solid("dog", "b.png", 40, 20, new Color(200, 100, 50), "png");
        solid("dog", "a.jpg", 20, 30, new Color(10, 220, 130), "jpg");
        solid("cat", "z.PNG", 17, 17, new Color(0, 0, 255), "png");
        Files.writeString(root.resolve("cat").resolve("notes.txt"), "not an image");

        try (ImageFolderDataset ds = ImageFolderDataset.open(root, 16, 12, 3)) {
            assertEquals(List.of("cat", "dog"), ds.classNames());
            assertEquals(3, ds.size());
            assertEquals(12, ds.height());
            assertEquals(12, ds.width());
            assertEquals("z.PNG", ds.file(0).getFileName().toString());
            assertEquals("a.jpg", ds.file(1).getFileName().toString());
            float[] out = new float[3 * 3 * 144];
            int[] labels = ds.read(new int[] {0, 1, 2}, out);
            assertArrayEquals(new int[] {0, 1, 1}, labels);
            assertPlanes(out, 0, new float[] {0, 0, 1}, 0f);
            assertPlanes(out, 3 * 144, new float[] {10 / 255f, 220 / 255f, 130 / 255f}, JPEG_TOLERANCE);
            assertPlanes(out, 2 * 3 * 144, new float[] {200 / 255f, 100 / 255f, 50 / 255f}, 0f);
        }
    }

    @Test
    void grayscaleOutputIsBt601Luma() throws IOException {
        solid("only", "x.png", 30, 30, new Color(200, 100, 50), "png");
        try (ImageFolderDataset ds = ImageFolderDataset.open(root, 10, 8, 1)) {
            float[] out = new float[64];
            ds.read(new int[] {0}, out);
            float luma = (0.299f * 200 + 0.587f * 100 + 0.114f * 50) / 255f;
            for (float v : out) {
                assertEquals(luma, v, 1e-6f);
            }
        }
    }

    @Test
    void grayscalePngKeepsItsValues() throws IOException {
        BufferedImage img = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, 6, 6, 0, java.util.Collections.nCopies(36, 77).stream()
                .mapToInt(Integer::intValue).toArray());
        Files.createDirectories(root.resolve("g"));
        ImageIO.write(img, "png", root.resolve("g").resolve("gray.png").toFile());
        try (ImageFolderDataset ds = ImageFolderDataset.open(root, 6, 6, 1)) {
            float[] out = new float[36];
            ds.read(new int[] {0}, out);
            for (float v : out) {
                assertEquals(77 / 255f, v, 1e-6f);
            }
        }
    }

    @Test
    void cropIsCentred() throws IOException {
        BufferedImage img = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 4, 4);
        g.setColor(Color.BLUE);
        g.fillRect(4, 0, 4, 4);
        g.dispose();
        Files.createDirectories(root.resolve("c"));
        ImageIO.write(img, "png", root.resolve("c").resolve("halves.png").toFile());
        try (ImageFolderDataset ds = ImageFolderDataset.open(root, 4, 4, 3)) {
            float[] out = new float[3 * 16];
            ds.read(new int[] {0}, out);
            // resized 8x4 -> 8x4 (shorter side already 4), crop columns 2..5: red, red, blue, blue
            for (int y = 0; y < 4; y++) {
                assertArrayEquals(new float[] {1, 1, 0, 0}, java.util.Arrays.copyOfRange(out, y * 4, y * 4 + 4));
                assertArrayEquals(new float[] {0, 0, 1, 1},
                        java.util.Arrays.copyOfRange(out, 32 + y * 4, 32 + y * 4 + 4));
            }
        }
    }

    @Test
    void errorsNameTheFileOrDirectory() throws IOException {
        DatasetFormatException empty = assertThrows(DatasetFormatException.class,
                () -> ImageFolderDataset.open(root, 8, 8, 3));
        assertTrue(empty.getMessage().contains("no class sub-directories"), empty.getMessage());

        Path bad = Files.createDirectories(root.resolve("k")).resolve("broken.png");
        Files.writeString(bad, "definitely not a PNG");
        try (ImageFolderDataset ds = ImageFolderDataset.open(root, 8, 8, 3)) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class,
                    () -> ds.read(new int[] {0}, new float[192]));
            assertEquals(bad, e.file());
        }
        assertThrows(IllegalArgumentException.class, () -> ImageFolderDataset.open(root, 8, 9, 3));
        assertThrows(IllegalArgumentException.class, () -> ImageFolderDataset.open(root, 8, 8, 2));
    }

    private void solid(String cls, String name, int w, int h, Color c, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        Path dir = Files.createDirectories(root.resolve(cls));
        assertTrue(ImageIO.write(img, format, dir.resolve(name).toFile()));
    }

    private static void assertPlanes(float[] out, int base, float[] rgb, float tolerance) {
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < 144; k++) {
                assertEquals(rgb[c], out[base + c * 144 + k], tolerance, "channel " + c + " pixel " + k);
            }
        }
    }
}
