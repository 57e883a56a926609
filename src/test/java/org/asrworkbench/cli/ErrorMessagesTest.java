package org.asrworkbench.cli;

import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.model.ModelLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error names the file (or the option) and says what is wrong with it. */
@Timeout(120)
class ErrorMessagesTest {
    static final String MODEL = OutputClashTest.MODEL;
    static final String TEST = OutputClashTest.TEST;

    @TempDir
    Path dir;

    private static String error(String... args) {
        CommandLineTest.Run r = CommandLineTest.run(args);
        assertNotEquals(0, r.code(), r.out());
        return r.err();
    }

    /** Root reads and writes whatever the permissions say: these cases cannot happen for it. */
    private static void assumeNotRoot() throws IOException {
        Path probe = Files.createTempFile("asr-perm", ".probe");
        try {
            Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
            Assumptions.assumeFalse(Files.isReadable(probe), "running as root: permissions are not enforced");
        } finally {
            Files.delete(probe);
        }
    }

    @Test
    void aMissingModelSaysThereIsNoSuchFile() {
        Path missing = dir.resolve("missing.safetensors");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(missing, null, null));
        assertEquals(missing + ": cannot read: no such file or directory", e.getMessage());
    }

    @Test
    void anUnreadableModelSaysPermissionDenied() throws Exception {
        assumeNotRoot();
        Path file = Files.copy(Path.of(MODEL), dir.resolve("locked.safetensors"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(file, "resnet20-w0.5",
                "fashion-mnist"));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("permission denied"),
                e.getMessage());
    }

    @Test
    void anUnreadableDatasetSaysPermissionDenied() throws Exception {
        assumeNotRoot();
        Path file = Files.copy(Path.of(TEST), dir.resolve("locked-images-idx3-ubyte.gz"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        IOException e = assertThrows(IOException.class, () -> Datasets.open(file, null, DatasetOptions.defaults()));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("permission denied"),
                e.getMessage());
    }

    @Test
    void aDeviceGivenAsDataIsCalledADeviceNotADirectory() {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/urandom")));
        String detected = error("eval", "--model", MODEL, "--data", "/dev/urandom", "--limit", "4");
        assertTrue(detected.contains("/dev/urandom") && detected.contains("not a regular file (a character device)"), detected);
        String given = error("eval", "--model", MODEL, "--data", "/dev/urandom", "--format", "cifar10-bin",
                "--limit", "4");
        assertTrue(given.contains("/dev/urandom") && given.contains("character device"), given);
        assertFalse(given.contains("not a directory"), given);
    }

    @Test
    void aHugeBatchSizeNamesTheOptionAndItsLimit() {
        String err = error("eval", "--model", MODEL, "--data", TEST, "--limit", "4", "--batch-size", "2000000000");
        assertTrue(err.contains("--batch-size must be between 1 and 65536, not 2000000000"), err);
        assertFalse(err.contains("integer overflow"), err);
        String train = error("train", "--arch", "resnet20-w0.25", "--data", TEST, "--out",
                dir.resolve("m.safetensors").toString(), "--batch-size", "0");
        assertTrue(train.contains("--batch-size must be between 1 and 65536, not 0"), train);
    }

    @Test
    void aMissingOutputDirectoryIsNamed() {
        Path logits = dir.resolve("no-such-dir").resolve("logits.csv");
        String err = error("eval", "--model", MODEL, "--data", TEST, "--limit", "4", "--device", "cpu",
                "--logits", logits.toString());
        assertTrue(err.contains(logits + ": the directory " + logits.getParent() + " does not exist"), err);
        assertFalse(err.contains(".tmp"), err);
    }

    @Test
    void aFullDiskNamesTheFileBeingWritten() throws IOException {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")));
        Path logits = Files.createSymbolicLink(dir.resolve("logits.csv"), Path.of("/dev/full"));
        String err = error("eval", "--model", MODEL, "--data", TEST, "--limit", "600", "--device", "cpu",
                "--logits", logits.toString());
        assertTrue(err.contains(logits + ": cannot write: No space left on device"), err);
    }
}
