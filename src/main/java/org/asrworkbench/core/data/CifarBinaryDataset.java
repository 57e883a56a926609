package org.asrworkbench.core.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * CIFAR-10 / CIFAR-100 in the official binary layout: fixed-size records of label byte(s)
 * followed by 3x32x32 pixel bytes (R plane, G plane, B plane). Records are read on demand.
 */
public final class CifarBinaryDataset extends AbstractImageDataset {
    private static final int PIXELS = 3 * 32 * 32;

    private final FileChannel channel;
    private final int labelBytes;
    private final int recordSize;
    private final int size;

    /**
     * @param cifar100 true for CIFAR-100 records (coarse and fine label bytes; the fine label is used)
     */
    public CifarBinaryDataset(Path file, boolean cifar100, List<String> classNames) throws IOException {
        super(file, cifar100 ? "cifar100-bin" : "cifar10-bin", 3, 32, 32, classNames);
        this.labelBytes = cifar100 ? 2 : 1;
        this.recordSize = labelBytes + PIXELS;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        long len = channel.size();
        if (len == 0 || len % recordSize != 0) {
            channel.close();
            throw new DatasetFormatException(file, "size " + len + " bytes is not a whole number of "
                    + (cifar100 ? "CIFAR-100" : "CIFAR-10") + " records (" + recordSize + " bytes each)");
        }
        this.size = Math.toIntExact(len / recordSize);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int label(int index) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(labelBytes);
        readAt(b, (long) index * recordSize);
        return b.get(labelBytes - 1) & 0xff;
    }

    @Override
    public synchronized int[] read(int[] indices, float[] out) throws IOException {
        int[] labels = new int[indices.length];
        ByteBuffer rec = ByteBuffer.allocate(recordSize);
        for (int i = 0; i < indices.length; i++) {
            int idx = indices[i];
            checkIndex(idx);
            rec.clear();
            readAt(rec, (long) idx * recordSize);
            byte[] a = rec.array();
            int label = a[labelBytes - 1] & 0xff;
            if (label >= numClasses()) {
                throw new DatasetFormatException(source(), "record " + idx + " has label " + label + ", but there are "
                        + numClasses() + " classes");
            }
            labels[i] = label;
            int base = i * PIXELS;
            for (int k = 0; k < PIXELS; k++) {
                out[base + k] = (a[labelBytes + k] & 0xff) / 255f;
            }
        }
        return labels;
    }

    private void readAt(ByteBuffer b, long pos) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int n = channel.read(b, p);
            if (n < 0) {
                throw new DatasetFormatException(source(), "unexpected end of file");
            }
            p += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
