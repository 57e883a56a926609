package org.asrworkbench.core.data;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A directory with one sub-directory per class (class names = sorted sub-directory names,
 * labels in that order) holding PNG or JPEG files ({@code .png}, {@code .jpg}, {@code .jpeg},
 * any case). Images are listed class by class, files sorted by name, and decoded on demand.
 *
 * <p>Each image is converted to RGB, resized with bilinear interpolation (Java 2D, quality
 * hints) so that its shorter side equals {@code resize}, the longer side scaled by the same
 * factor and rounded, then centre-cropped to {@code crop x crop} (offset
 * {@code rint((side - crop) / 2)}, as torchvision does). With one output channel the pixel is
 * the luma {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601, as PIL's {@code convert("L")}).
 */
public final class ImageFolderDataset extends AbstractImageDataset {
    /** Largest image decoded, in pixels (Pillow's decompression-bomb limit: 1024 x 1024 x 1024 / 4 / 3). */
    static final long MAX_PIXELS = 89_478_485L;

    private final List<Path> files;
    private final int[] labels;
    private final int resize;
    private final int crop;

    private ImageFolderDataset(Path root, List<String> classes, List<Path> files, int[] labels, int resize, int crop,
                               int channels) {
        super(root, "imagefolder", channels, crop, crop, classes);
        this.files = files;
        this.labels = labels;
        this.resize = resize;
        this.crop = crop;
    }

    /**
     * Lists the images under {@code root}.
     *
     * @param resize   length of the shorter side after resizing
     * @param crop     side of the centre crop ({@code <= resize})
     * @param channels 1 (grayscale) or 3 (RGB)
     */
    public static ImageFolderDataset open(Path root, int resize, int crop, int channels) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(root + ": images can be read with 1 or 3 channels, not " + channels);
        }
        if (crop <= 0 || resize < crop) {
            throw new IllegalArgumentException(root + ": need 0 < crop <= resize, got crop " + crop + ", resize "
                    + resize);
        }
        if (!Files.isDirectory(root)) {
            throw new DatasetFormatException(root, "not a directory");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new DatasetFormatException(root, "no class sub-directories (an image folder has one per class)");
        }
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            int label = classes.size();
            classes.add(dir.getFileName().toString());
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(ImageFolderDataset::isImage).sorted().forEach(f -> {
                    files.add(f);
                    labels.add(label);
                });
            }
        }
        if (files.isEmpty()) {
            throw new DatasetFormatException(root, "no PNG or JPEG files in its " + classes.size()
                    + " class sub-directories");
        }
        return new ImageFolderDataset(root, List.copyOf(classes), List.copyOf(files),
                labels.stream().mapToInt(Integer::intValue).toArray(), resize, crop, channels);
    }

    private static boolean isImage(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(f) && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    /** The image file of entry {@code index}. */
    public Path file(int index) {
        return files.get(index);
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public int[] read(int[] indices, float[] out) throws IOException {
        int[] result = new int[indices.length];
        int plane = crop * crop;
        int[] argb = new int[plane];
        for (int i = 0; i < indices.length; i++) {
            int idx = indices[i];
            checkIndex(idx);
            BufferedImage image = resizeAndCrop(decode(files.get(idx)));
            image.getRGB(0, 0, crop, crop, argb, 0, crop);
            toFloats(argb, out, i * channels() * plane);
            result[i] = labels[idx];
        }
        return result;
    }

    /**
     * Decodes an image after checking the size its header declares against {@link #MAX_PIXELS}; a
     * decoder's failure of any kind (the JDK's decoders also throw runtime exceptions on corrupt
     * data) becomes a {@link DatasetFormatException}.
     */
    private static BufferedImage decode(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DatasetFormatException(file, "not a readable PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || w * h > MAX_PIXELS) {
                    throw new DatasetFormatException(file, "the image claims " + w + " x " + h + " pixels (at most "
                            + MAX_PIXELS + " are read)");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (DatasetFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatasetFormatException(file, "cannot decode the image: " + e.getMessage(), e);
        }
    }

    /** Resizes so that the shorter side is {@code resize}, then returns the centre {@code crop x crop} as RGB. */
    private BufferedImage resizeAndCrop(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        double scale = (double) resize / Math.min(w, h);
        int rw = w <= h ? resize : (int) Math.round(w * scale);
        int rh = h < w ? resize : (int) Math.round(h * scale);
        int x0 = (int) Math.rint((rw - crop) / 2.0);
        int y0 = (int) Math.rint((rh - crop) / 2.0);
        BufferedImage dst = new BufferedImage(crop, crop, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
            g.drawImage(src, -x0, -y0, rw, rh, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    private void toFloats(int[] argb, float[] out, int base) {
        int plane = argb.length;
        for (int k = 0; k < plane; k++) {
            int p = argb[k];
            float r = ((p >> 16) & 0xff) / 255f;
            float g = ((p >> 8) & 0xff) / 255f;
            float b = (p & 0xff) / 255f;
            if (channels() == 1) {
                out[base + k] = 0.299f * r + 0.587f * g + 0.114f * b;
            } else {
                out[base + k] = r;
                out[base + plane + k] = g;
                out[base + 2 * plane + k] = b;
            }
        }
    }
}
