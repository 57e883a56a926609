package org.asrworkbench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which arguments open the workbench (as the installers' file associations call it) and which run a command. */
class MainTest {
    @TempDir
    Path dir;

    @Test
    void noArgumentsOrOpenOptionsStartTheWorkbench() {
        assertArrayEquals(new String[0], Main.workbenchArguments(new String[0]));
        String[] open = {"--open", "m.safetensors"};
        assertArrayEquals(open, Main.workbenchArguments(open));
    }

    @Test
    void aSingleExistingModelOrSessionFileOpensInTheWorkbench() throws IOException {
        for (String name : new String[] {"m.safetensors", "m.PTH", "m.pt", "m.th", "s.asrsession.json"}) {
            String file = Files.createFile(dir.resolve(name)).toString();
            assertArrayEquals(new String[] {"--open", file}, Main.workbenchArguments(new String[] {file}));
        }
    }

    @Test
    void commandsMissingFilesAndOtherFilesRunTheCommandLine() throws IOException {
        assertNull(Main.workbenchArguments(new String[] {"info"}));
        assertNull(Main.workbenchArguments(new String[] {"info", "--model", "m.safetensors"}));
        assertNull(Main.workbenchArguments(new String[] {dir.resolve("absent.safetensors").toString()}));
        String other = Files.createFile(dir.resolve("notes.txt")).toString();
        assertNull(Main.workbenchArguments(new String[] {other}));
    }

    @Test
    void aMissingGtkOrDisplayIsSaidInOneLine() {
        // the exception JavaFX throws on a machine without libgtk-3-0 (seen with an unloadable libgtk-3.so.0)
        String gtk = Main.desktopProblem(new RuntimeException("Application launch failed",
                new UnsupportedOperationException("Unable to load glass GTK library.")));
        org.junit.jupiter.api.Assertions.assertTrue(gtk.contains("libgtk-3-0") && !gtk.contains("\n"), gtk);
        String display = Main.desktopProblem(new UnsupportedOperationException("Unable to open DISPLAY"));
        org.junit.jupiter.api.Assertions.assertTrue(display.contains("xvfb-run"), display);
        assertNull(Main.desktopProblem(new IllegalStateException("something else")));
    }
}
