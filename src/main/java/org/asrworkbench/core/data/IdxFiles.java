package org.asrworkbench.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IDX file naming: {@code <prefix>-images-idx3-ubyte[.gz]} (or {@code <prefix>-images.idx3-ubyte[.gz]})
 * with {@code <prefix>-labels-idx1-ubyte[.gz]} beside it, and the MNIST directory layout with
 * {@code train} and {@code t10k} prefixes.
 */
final class IdxFiles {
    private static final Pattern IMAGES = Pattern.compile("(.*)-images([-.])idx3-ubyte(\\.gz)?");
    private static final Pattern LABELS = Pattern.compile("(.*)-labels([-.])idx1-ubyte(\\.gz)?");

    private IdxFiles() {
    }

    static boolean isImagesName(Path file) {
        return IMAGES.matcher(file.getFileName().toString()).matches();
    }

    static boolean isLabelsName(Path file) {
        return LABELS.matcher(file.getFileName().toString()).matches();
    }

    /** The labels file beside an images file, same naming style, gzipped or not. */
    static Path labelsBeside(Path images) throws DatasetFormatException {
        Matcher m = IMAGES.matcher(images.getFileName().toString());
        if (!m.matches()) {
            throw new DatasetFormatException(images, "not named like an IDX images file (*-images-idx3-ubyte[.gz])");
        }
        String base = m.group(1) + "-labels" + m.group(2) + "idx1-ubyte";
        List<String> names = m.group(3) != null ? List.of(base + ".gz", base) : List.of(base, base + ".gz");
        List<Path> tried = new ArrayList<>();
        for (String name : names) {
            Path candidate = images.resolveSibling(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        throw new DatasetFormatException(images, "no labels file beside it (looked for " + tried + ")");
    }

    /** The images file of {@code split} in an MNIST-layout directory, if there is one. */
    static Optional<Path> imagesIn(Path dir, DatasetSplit split) {
        String p = split.idxPrefix();
        for (String name : List.of(p + "-images-idx3-ubyte.gz", p + "-images-idx3-ubyte",
                p + "-images.idx3-ubyte.gz", p + "-images.idx3-ubyte")) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** True when {@code dir} holds the images of at least one split in the MNIST layout. */
    static boolean isIdxDirectory(Path dir) {
        return imagesIn(dir, DatasetSplit.TRAIN).isPresent() || imagesIn(dir, DatasetSplit.TEST).isPresent();
    }
}
