package org.asrworkbench.core.model;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The sample models the project trains itself ({@code sample-models/} in the repository, beside
 * the jar's folder in a build or an installed image), each with the Fashion-MNIST subset it is
 * evaluated and calibrated on.
 */
public final class SampleModels {
    /** The sample the workbench opens when it starts with nothing else to open. */
    public static final String DEFAULT = "resnet20-w0.5-fashion.safetensors";
    static final String DATA = "fashion-mnist";
    static final String EVAL_IMAGES = "fashion-test-2000-images-idx3-ubyte.gz";
    static final String CALIB_IMAGES = "fashion-calib-2000-images-idx3-ubyte.gz";

    /** A bundled model with its evaluation images (test split) and calibration images (training split). */
    public record Sample(String name, Path model, Path evalImages, Path calibImages) {
    }

    private SampleModels() {
    }

    /** The {@code sample-models} folder: {@code $ASR_SAMPLES}, the working directory's, or the one beside the jar. */
    public static Optional<Path> directory() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("ASR_SAMPLES");
        if (env != null) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of("sample-models"));
        try {
            Path jar = Path.of(SampleModels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(jar) ? jar : jar.getParent();
            for (Path p = dir; p != null; p = p.getParent()) {
                candidates.add(p.resolve("sample-models"));
                if (candidates.size() > 6) {
                    break;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code source: rely on the other candidates
        }
        return candidates.stream().filter(Files::isDirectory).map(Path::toAbsolutePath).findFirst();
    }

    /** Every bundled model that has its sidecar and data, by file name. */
    public static List<Sample> list() {
        Optional<Path> dir = directory();
        if (dir.isEmpty()) {
            return List.of();
        }
        Path data = dir.get().resolve(DATA);
        try (Stream<Path> files = Files.list(dir.get())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted()
                    .map(p -> new Sample(p.getFileName().toString().replace(".safetensors", ""), p,
                            data.resolve(EVAL_IMAGES), data.resolve(CALIB_IMAGES)))
                    .filter(s -> Files.isRegularFile(s.evalImages()) && Files.isRegularFile(s.calibImages()))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    public static Optional<Sample> defaultSample() {
        List<Sample> all = list();
        return all.stream().filter(s -> s.model().getFileName().toString().equals(DEFAULT)).findFirst()
                .or(() -> all.stream().findFirst());
    }
}
