package org.asrworkbench.core.data;

import java.util.List;

/**
 * A model's input contract: channels, size, per-channel mean and std applied to pixels in
 * [0, 1], class names, and zero padding. Kept with the model (JSON sidecar) or chosen by a named
 * preset; never guessed.
 *
 * <p>{@code height} and {@code width} are the size the network takes. With {@code pad > 0} the
 * dataset's images are {@code pad} pixels smaller on every side ({@link #imageHeight()} x
 * {@link #imageWidth()}) and are padded with zeros in [0, 1] pixel space before normalisation,
 * like torchvision's {@code Pad(pad)} before {@code ToTensor}/{@code Normalize}: 28x28
 * Fashion-MNIST for a network that takes 32x32 has pad 2. Datasets opened for a model
 * ({@link DatasetOptions#withInput}) are padded by {@link Datasets#open}.
 *
 * @param pad zero pixels added on every side of the dataset's image (0: none)
 */
public record Normalization(String name, int channels, int height, int width, float[] mean, float[] std,
                            List<String> classNames, int pad) {

    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover",
            "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    public Normalization {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("normalisation '" + name + "': channels, height and width must be "
                    + "positive, not " + channels + " x " + height + " x " + width);
        }
        if (mean == null || std == null) {
            throw new IllegalArgumentException("normalisation '" + name + "': mean and std are required");
        }
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("normalisation '" + name + "': mean and std need " + channels
                    + " values each");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("normalisation '" + name + "': std must be positive");
            }
        }
        if (pad < 0) {
            throw new IllegalArgumentException("normalisation '" + name + "': pad must be 0 or more, not " + pad);
        }
        if (2L * pad >= height || 2L * pad >= width) {
            throw new IllegalArgumentException("normalisation '" + name + "': pad " + pad + " on every side of a "
                    + height + "x" + width + " input leaves nothing of the image (at most "
                    + ((Math.min(height, width) - 1) / 2) + ")");
        }
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
    }

    /** An input contract without padding: the dataset's images are the size the network takes. */
    public Normalization(String name, int channels, int height, int width, float[] mean, float[] std,
                         List<String> classNames) {
        this(name, channels, height, width, mean, std, classNames, 0);
    }

    /** Height of the dataset's images, before padding: {@code height - 2 * pad}. */
    public int imageHeight() {
        return height - 2 * pad;
    }

    /** Width of the dataset's images, before padding: {@code width - 2 * pad}. */
    public int imageWidth() {
        return width - 2 * pad;
    }

    /**
     * The same contract for the same dataset images with {@code newPad} pixels of zeros on every
     * side instead: the network's input grows or shrinks by twice the change
     * ({@code fashion-mnist} with pad 2 takes 32x32).
     */
    public Normalization withPad(int newPad) {
        if (newPad < 0) {
            throw new IllegalArgumentException("normalisation '" + name + "': pad must be 0 or more, not " + newPad);
        }
        return new Normalization(name, channels, imageHeight() + 2 * newPad, imageWidth() + 2 * newPad, mean, std,
                classNames, newPad);
    }

    /** Named presets: {@code cifar}, {@code imagenet}, {@code fashion-mnist}. */
    public static Normalization preset(String name) {
        switch (name) {
            case "cifar":
            case "cifar10":
                return new Normalization("cifar", 3, 32, 32, new float[] {0.485f, 0.456f, 0.406f},
                        new float[] {0.229f, 0.224f, 0.225f}, CIFAR10_CLASSES);
            case "imagenet":
                return new Normalization("imagenet", 3, 224, 224, new float[] {0.485f, 0.456f, 0.406f},
                        new float[] {0.229f, 0.224f, 0.225f}, List.of());
            case "fashion-mnist":
                return new Normalization("fashion-mnist", 1, 28, 28, new float[] {0.2860f},
                        new float[] {0.3530f}, FASHION_MNIST_CLASSES);
            default:
                throw new IllegalArgumentException("unknown normalisation preset '" + name
                        + "' (cifar, imagenet, fashion-mnist, or a JSON sidecar file)");
        }
    }

    /**
     * The input contract recorded in a model's sidecar: its normalisation and class names.
     *
     * @throws IllegalArgumentException when the sidecar has no normalisation or it is inconsistent
     */
    public static Normalization fromSidecar(ModelSidecar sidecar) {
        ModelSidecar.NormalizationSpec n = sidecar.normalisation();
        if (n == null) {
            throw new IllegalArgumentException("the sidecar has no normalisation");
        }
        String name = n.name() != null ? n.name() : "sidecar";
        return new Normalization(name, n.channels(), n.height(), n.width(), n.mean(), n.std(), sidecar.classNames(),
                n.pad() == null ? 0 : n.pad());
    }

    /** Normalises {@code n} CHW images in place. */
    public void apply(float[] pixels, int n) {
        int plane = height * width;
        int idx = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                float m = mean[c];
                float s = std[c];
                for (int k = 0; k < plane; k++, idx++) {
                    pixels[idx] = (pixels[idx] - m) / s;
                }
            }
        }
    }
}
