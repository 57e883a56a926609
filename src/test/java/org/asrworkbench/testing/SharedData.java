package org.asrworkbench.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Locates the project's shared test data ({@code ../shared}, beside the checkout). Tests that
 * need it call {@link #require(String)}: they skip when it is absent, unless the environment
 * variable {@code ASR_REQUIRE_SHARED=1} is set (as {@code .ci/run} does), in which case they fail.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        String env = System.getenv("ASR_SHARED_DIR");
        return env != null ? Path.of(env) : Path.of("..", "shared").toAbsolutePath().normalize();
    }

    public static boolean required() {
        return "1".equals(System.getenv("ASR_REQUIRE_SHARED"));
    }

    /** The shared file or directory at {@code relative}; skips (or fails in CI) when it is absent. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            if (required()) {
                fail("required shared test data is missing: " + p + " (ASR_REQUIRE_SHARED=1)");
            }
            Assumptions.abort("shared test data not present: " + p);
        }
        return p;
    }

    public static Path resnet20Safetensors() {
        return require("models/cifar10/resnet20.safetensors");
    }

    public static Path resnet20Th() {
        return require("models/cifar10/resnet20-12fca82f.th");
    }

    public static Path resnet56Safetensors() {
        return require("models/cifar10/resnet56.safetensors");
    }

    public static Path resnet56Th() {
        return require("models/cifar10/resnet56-4bfd9763.th");
    }

    public static Path cifarTest() {
        return require("data/cifar10-jpeg/test_batch.bin");
    }

    public static Path cifarCalib() {
        return require("data/cifar10-jpeg/calib_pool.bin");
    }
}
