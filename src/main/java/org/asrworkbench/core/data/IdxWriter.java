package org.asrworkbench.core.data;

import org.asrworkbench.core.util.AtomicFiles;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a subset of a one-channel dataset as an IDX image/label pair (the MNIST layout),
 * optionally gzipped, e.g. to ship a small Fashion-MNIST subset with sample models. Pixels in
 * [0, 1] are stored as {@code round(255 * p)}, so pixels read from an 8-bit source round-trip
 * exactly. Each file is written to a temporary file beside it and then moved into place.
 */
public final class IdxWriter {
    private IdxWriter() {
    }

    /**
     * Writes images {@code indices} of {@code source}, in that order, to {@code images} and
     * {@code labels}.
     *
     * @throws IllegalArgumentException when the source has more than one channel, an index is
     *                                  out of range, the subset is empty, or a label is not 0..255
     */
    public static void write(ImageDataset source, int[] indices, Path images, Path labels, boolean gzip)
            throws IOException {
        if (source.channels() != 1) {
            throw new IllegalArgumentException(source.source() + ": IDX holds one-channel images, this dataset has "
                    + source.channels());
        }
        if (indices.length == 0) {
            throw new IllegalArgumentException(source.source() + ": no images to write");
        }
        int plane = source.height() * source.width();
        byte[] labelBytes = new byte[indices.length];
        float[] pixels = new float[plane];
        byte[] row = new byte[plane];
        writeIdx(images, gzip, out -> {
            out.writeInt(IdxDataset.IMAGES_MAGIC);
            out.writeInt(indices.length);
            out.writeInt(source.height());
            out.writeInt(source.width());
            for (int i = 0; i < indices.length; i++) {
                int label = source.read(new int[] {indices[i]}, pixels)[0];
                if (label < 0 || label > 255) {
                    throw new IllegalArgumentException(source.source() + ": image " + indices[i] + " has label "
                            + label + ", which IDX (one unsigned byte) cannot hold");
                }
                labelBytes[i] = (byte) label;
                for (int k = 0; k < plane; k++) {
                    row[k] = (byte) Math.round(255f * Math.min(1f, Math.max(0f, pixels[k])));
                }
                out.write(row);
            }
        });
        writeIdx(labels, gzip, out -> {
            out.writeInt(IdxDataset.LABELS_MAGIC);
            out.writeInt(indices.length);
            out.write(labelBytes);
        });
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static void writeIdx(Path target, boolean gzip, Body body) throws IOException {
        AtomicFiles.write(target, file -> {
            OutputStream stream = gzip ? new GZIPOutputStream(file, 1 << 16) : file;
            DataOutputStream out = new DataOutputStream(stream);
            body.write(out);
            out.flush();
            if (stream instanceof GZIPOutputStream z) {
                z.finish();
            }
        });
    }
}
