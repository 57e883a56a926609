package org.asrworkbench.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeMemoryTest {
    /**
     * Tensors freed on a worker thread leave their pages in that thread's arena; the trim gives
     * them back. Many 4 MB tensors (below glibc's adaptive mmap threshold once larger blocks were
     * freed) are made and freed with one small tensor kept between each pair, so that the free
     * space cannot shrink from an arena's top; the resident size must drop by most of it.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void freedTensorPagesGoBackToTheSystem() throws Exception {
        assertTrue(NativeMemory.available(), "glibc's malloc_trim is reachable");
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu(), Engines.ENGINE)) {
            List<NDArray> kept = new ArrayList<>();
            long before = worker.submit(() -> {
                // raise the adaptive threshold: a freed 16 MB mapping moves it to 16 MB (at most 32 MB)
                m.zeros(new Shape(4, 1024, 1024)).close();
                List<NDArray> big = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    big.add(m.ones(new Shape(1024, 1024))); // 4 MB, written so that its pages are resident
                    kept.add(m.ones(new Shape(16)));
                }
                big.forEach(NDArray::close);
                return residentKb();
            }).get();
            boolean released = worker.submit(NativeMemory::trim).get();
            long after = residentKb();
            assertTrue(released, "malloc_trim released nothing");
            assertTrue(before - after > 200_000, "resident " + before + " kB before the trim, " + after + " after");
            kept.forEach(NDArray::close);
        } finally {
            worker.shutdown();
        }
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
