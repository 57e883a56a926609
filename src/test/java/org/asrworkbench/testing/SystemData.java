package org.asrworkbench.testing;

import org.asrworkbench.core.data.DatasetFormatException;
import org.asrworkbench.core.data.FashionMnist;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Locates datasets installed on the machine (outside the repository and ../shared). Like
 * {@link SharedData}: tests skip when the data is absent, unless {@code ASR_REQUIRE_SHARED=1},
 * in which case they fail.
 */
public final class SystemData {
    private SystemData() {
    }

    /** The Fashion-MNIST directory ({@code FASHION_MNIST_DIR} or Debian's {@code dataset-fashion-mnist}). */
    public static Path fashionMnist() {
        Optional<Path> dir;
        try {
            dir = FashionMnist.locate();
        } catch (DatasetFormatException e) {
            return fail(e.getMessage());
        }
        if (dir.isEmpty()) {
            String why = "Fashion-MNIST not found (install dataset-fashion-mnist or set " + FashionMnist.ENV + ")";
            if (SharedData.required()) {
                fail(why + " (ASR_REQUIRE_SHARED=1)");
            }
            Assumptions.abort(why);
        }
        return dir.get();
    }
}
