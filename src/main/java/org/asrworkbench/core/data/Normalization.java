package org.asrworkbench.core.data;

import java.util.List;

/**
 * A model's input contract: channels, size, per-channel mean and std applied to pixels in
 * [0, 1], and class names. Kept with the model (JSON sidecar) or chosen by a named preset;
 * never guessed.
 */
public record Normalization(String name, int channels, int height, int width, float[] mean, float[] std,
                            List<String> classNames) {

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
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
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
        return new Normalization(name, n.channels(), n.height(), n.width(), n.mean(), n.std(), sidecar.classNames());
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
