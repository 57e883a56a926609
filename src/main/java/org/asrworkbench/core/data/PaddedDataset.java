package org.asrworkbench.core.data;

import java.io.IOException;
import java.util.Arrays;

/**
 * Another dataset's images with {@code pad} pixels of zeros added on every side, in [0, 1]
 * pixel space (black, before normalisation), as torchvision's {@code Pad(pad)}: a 28x28 image
 * with pad 2 is read as 32x32 with the original in rows and columns 2..29. Labels, class names
 * and size are those of the wrapped dataset; closing closes it.
 */
public final class PaddedDataset extends ForwardingDataset {
    private final int pad;
    private float[] buffer = new float[0];

    /** @param pad zero pixels on every side, at least 1 */
    public PaddedDataset(ImageDataset inner, int pad) {
        super(inner);
        if (pad <= 0) {
            throw new IllegalArgumentException(inner.source() + ": pad must be positive, not " + pad);
        }
        this.pad = pad;
    }

    public int pad() {
        return pad;
    }

    @Override
    public int height() {
        return inner().height() + 2 * pad;
    }

    @Override
    public int width() {
        return inner().width() + 2 * pad;
    }

    @Override
    public int[] read(int[] indices, float[] out) throws IOException {
        int c = inner().channels();
        int h = inner().height();
        int w = inner().width();
        int innerSize = c * h * w;
        int needed = Math.multiplyExact(indices.length, innerSize);
        if (buffer.length < needed) {
            buffer = new float[needed];
        }
        int[] labels = inner().read(indices, buffer);
        int pw = width();
        int outSize = c * height() * pw;
        Arrays.fill(out, 0, indices.length * outSize, 0f);
        for (int i = 0; i < indices.length; i++) {
            for (int ch = 0; ch < c; ch++) {
                int src = i * innerSize + ch * h * w;
                int dst = i * outSize + ch * height() * pw + pad * pw + pad;
                for (int y = 0; y < h; y++) {
                    System.arraycopy(buffer, src + y * w, out, dst + y * pw, w);
                }
            }
        }
        return labels;
    }
}
