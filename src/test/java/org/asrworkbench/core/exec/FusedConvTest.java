package org.asrworkbench.core.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The bundled TorchScript module of the fused convolutions: it loads, and it is what its script writes. */
class FusedConvTest {
    @Test
    void theModuleLoadsOnTheCpu() {
        assertNull(FusedConv.problem());
    }

    @Test
    void theResourceIsWhatToolsOnednnKernelsWrites(@TempDir Path dir) throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3 to run tools/onednn-kernels.py");
        Path out = dir.resolve("kernels.pt");
        Process p = new ProcessBuilder(python.toString(), "tools/onednn-kernels.py", out.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tools/onednn-kernels.py did not finish");
        assertEquals(0, p.exitValue());
        try (InputStream in = FusedConv.class.getResourceAsStream("onednn-kernels.pt")) {
            assertArrayEquals(Files.readAllBytes(out), in.readAllBytes(),
                    "src/main/resources/.../onednn-kernels.pt is stale: run tools/onednn-kernels.py");
        }
    }
}
