package org.asrworkbench.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds Fashion-MNIST on this machine: the directory named by the environment variable
 * {@value #ENV}, else Debian's {@code dataset-fashion-mnist} package
 * ({@code /usr/share/datasets/fashion-mnist}, gzipped IDX files in the MNIST layout).
 */
public final class FashionMnist {
    /** Environment variable naming a directory with the Fashion-MNIST IDX files. */
    public static final String ENV = "FASHION_MNIST_DIR";
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnist() {
    }

    /**
     * The Fashion-MNIST directory, or empty when neither {@value #ENV} is set nor the Debian
     * package is installed.
     *
     * @throws DatasetFormatException when {@value #ENV} is set but names no directory holding the files
     */
    public static Optional<Path> locate() throws DatasetFormatException {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            Path dir = Path.of(env);
            if (!Files.isDirectory(dir) || !IdxFiles.isIdxDirectory(dir)) {
                throw new DatasetFormatException(dir, ENV + " names this directory, but it holds no "
                        + "train-/t10k-images-idx3-ubyte[.gz] files");
            }
            return Optional.of(dir);
        }
        return IdxFiles.isIdxDirectory(DEBIAN_DIR) ? Optional.of(DEBIAN_DIR) : Optional.empty();
    }

    /** Opens one split of the Fashion-MNIST files in {@code dir}, with Fashion-MNIST's class names. */
    public static IdxDataset open(Path dir, DatasetSplit split) throws IOException {
        return (IdxDataset) Datasets.open(dir, Datasets.IDX, DatasetOptions.defaults().withSplit(split)
                .withClassNames(Normalization.FASHION_MNIST_CLASSES));
    }
}
