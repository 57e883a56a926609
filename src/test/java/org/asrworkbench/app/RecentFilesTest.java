package org.asrworkbench.app;

import org.asrworkbench.app.service.RecentFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentFilesTest {
    @TempDir
    Path tmp;

    @Test
    void newestFirstOnceAtMostTenAndPersisted() throws Exception {
        Path file = tmp.resolve("state").resolve("recent.json");
        RecentFiles recent = new RecentFiles(file);
        assertEquals(List.of(), recent.entries());
        for (int i = 0; i < 12; i++) {
            recent.add(RecentFiles.Kind.MODEL, tmp.resolve("m" + i + ".safetensors"));
        }
        recent.add(RecentFiles.Kind.SESSION, tmp.resolve("s.json"));
        recent.add(RecentFiles.Kind.MODEL, tmp.resolve("m5.safetensors"));
        assertEquals(RecentFiles.MAX, recent.entries().size());
        assertEquals(tmp.resolve("m5.safetensors").toString(), recent.entries().get(0).path());
        assertEquals(RecentFiles.Kind.SESSION, recent.entries().get(1).kind());
        assertEquals(1, recent.entries().stream().filter(e -> e.path().endsWith("m5.safetensors")).count());

        RecentFiles again = new RecentFiles(file);
        assertNull(again.problem());
        assertEquals(recent.entries(), again.entries());
        again.remove(again.entries().get(0));
        assertEquals(RecentFiles.MAX - 1, new RecentFiles(file).entries().size());
    }

    @Test
    void unreadableListNamesTheFileAndStartsEmpty() throws Exception {
        Path file = tmp.resolve("recent.json");
        Files.writeString(file, "{ broken");
        RecentFiles recent = new RecentFiles(file);
        assertEquals(List.of(), recent.entries());
        assertTrue(recent.problem().startsWith(file + ": not a recent-files list"), recent.problem());
        recent.add(RecentFiles.Kind.EVAL, tmp.resolve("data"));
        assertEquals(1, new RecentFiles(file).entries().size());
    }
}
