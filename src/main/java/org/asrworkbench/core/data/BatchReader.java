package org.asrworkbench.core.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Walks a list of image indices in batches: reads each batch from a dataset, normalises it, and
 * hands it to a consumer, reusing one pixel buffer. A cancellation check runs before each batch.
 */
public final class BatchReader {
    private final ImageDataset dataset;
    private final Normalization normalization;
    private final int batchSize;
    private final int imageSize;
    private final float[] pixels;

    /**
     * One batch. {@code pixels} is the reader's reused buffer (length {@code batchSize * C * H * W});
     * only the first {@code size() * C * H * W} values belong to this batch, and they are
     * overwritten by the next one: copy what must outlive the call.
     *
     * @param start   position of the batch's first image in the index list
     * @param indices the dataset indices of the batch's images
     * @param pixels  normalised CHW pixels of the images, in order
     * @param labels  their labels
     */
    public record Batch(int start, int[] indices, float[] pixels, int[] labels) {
        /** Number of images in this batch (the last one may be short). */
        public int size() {
            return indices.length;
        }
    }

    /** Receives batches. */
    @FunctionalInterface
    public interface Consumer {
        void accept(Batch batch) throws IOException;
    }

    /**
     * @param normalization applied to every batch; null leaves pixels in [0, 1]. Its channels,
     *                      height and width must match the dataset's (with a padding
     *                      normalisation, those of the {@link PaddedDataset} that
     *                      {@link Datasets#open} returns for it).
     */
    public BatchReader(ImageDataset dataset, Normalization normalization, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
        }
        if (normalization != null && (normalization.channels() != dataset.channels()
                || normalization.height() != dataset.height() || normalization.width() != dataset.width())) {
            throw new IllegalArgumentException(dataset.source() + ": images are " + dataset.channels() + "x"
                    + dataset.height() + "x" + dataset.width() + ", but normalisation '" + normalization.name()
                    + "' expects " + normalization.channels() + "x" + normalization.height() + "x"
                    + normalization.width() + (normalization.pad() == 0 ? "" : " with pad " + normalization.pad()
                    + " (open the dataset with DatasetOptions.withInput to pad it)"));
        }
        this.dataset = dataset;
        this.normalization = normalization;
        this.imageSize = dataset.channels() * dataset.height() * dataset.width();
        // no batch is larger than the dataset: a huge batch size costs no memory beyond it
        this.batchSize = Math.min(batchSize, Math.max(1, dataset.size()));
        int max = (Integer.MAX_VALUE - 8) / imageSize;
        if (this.batchSize > max) {
            throw new IllegalArgumentException("batch size " + batchSize + " is too large for images of "
                    + dataset.channels() + "x" + dataset.height() + "x" + dataset.width() + " (" + dataset.source()
                    + "): a batch holds at most 2^31 values, so at most " + max + " images");
        }
        this.pixels = new float[this.batchSize * imageSize];
    }

    /** Values per image, {@code C * H * W}. */
    public int imageSize() {
        return imageSize;
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * Reads {@code indices} in order, {@code batchSize} at a time, and passes each batch to
     * {@code consumer}.
     *
     * @param cancelled checked before each batch; null for never
     * @throws CancellationException when {@code cancelled} returns true
     */
    public void forEach(int[] indices, Consumer consumer, BooleanSupplier cancelled) throws IOException {
        for (int start = 0; start < indices.length; start += batchSize) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled after " + start + " of " + indices.length + " images of "
                        + dataset.source());
            }
            int[] batch = Arrays.copyOfRange(indices, start, Math.min(indices.length, start + batchSize));
            int[] labels = dataset.read(batch, pixels);
            if (normalization != null) {
                normalization.apply(pixels, batch.length);
            }
            consumer.accept(new Batch(start, batch, pixels, labels));
        }
    }
}
