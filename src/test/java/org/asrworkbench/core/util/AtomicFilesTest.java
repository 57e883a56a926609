package org.asrworkbench.core.util;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.txt");
        Files.writeString(target, "old");
        AtomicFiles.write(target, out -> out.write("new".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), listing(dir));
    }

    @Test
    void aFailedWriteKeepsThePreviousContentAndCleansUp() throws IOException {
        Path target = dir.resolve("out.txt");
        Files.writeString(target, "old");
        IOException failure = new IOException("disk full");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("partial".getBytes(StandardCharsets.US_ASCII));
            throw failure;
        }));
        assertSame(failure, e);
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), listing(dir), "the temporary file must be removed");
    }

    @Test
    void writesIntoTheTargetsOwnDirectory() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path target = sub.resolve("new.bin");
        AtomicFiles.write(target, out -> {
            assertEquals(List.of(sub), listing(dir), "the temporary file lies beside the target");
            assertEquals(1, listing(sub).size());
            out.write(new byte[] {1, 2, 3});
        });
        assertEquals(3, Files.size(target));
    }

    @Test
    void aSymlinkOutputKeepsTheLinkAndReplacesItsTarget() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real")).resolve("model.bin");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), real);
        AtomicFiles.write(link, out -> out.write("new".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals(real, Files.readSymbolicLink(link));
        assertEquals("new", Files.readString(real));
        assertEquals(List.of(real), listing(real.getParent()), "the temporary file lay beside the link's target");
    }

    @Test
    void aDanglingSymlinkCreatesItsTarget() throws IOException {
        Path real = dir.resolve("later.bin");
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), real);
        AtomicFiles.write(link, out -> out.write(7));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(1, Files.size(real));
    }

    @Test
    void aFifoOutputIsWrittenThroughAndStaysAFifo() throws Exception {
        Path fifo = dir.resolve("out.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is not available");
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        AtomicFiles.write(fifo, out -> out.write("through".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS), "the FIFO is not replaced by a file");
        assertTrue(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS));
        assertEquals("through", read.get(20, TimeUnit.SECONDS));
        assertEquals(List.of(fifo), listing(dir), "no temporary file");
    }

    @Test
    void aLinkToADeviceIsWrittenThroughAndADiskFullErrorNamesTheFile() throws IOException {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")) && Files.exists(Path.of("/dev/null")));
        Path toNull = Files.createSymbolicLink(dir.resolve("null.csv"), Path.of("/dev/null"));
        AtomicFiles.write(toNull, out -> out.write(new byte[1 << 20]));
        assertTrue(Files.isSymbolicLink(toNull), "the link to /dev/null is kept");

        Path full = Files.createSymbolicLink(dir.resolve("full.csv"), Path.of("/dev/full"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(full, out -> out.write(new byte[1 << 20])));
        assertTrue(e.getMessage().contains(full.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertTrue(Files.isSymbolicLink(full));
    }

    @Test
    void aDirectoryGivenAsTheOutputIsRefusedByName() throws IOException {
        Path d = Files.createDirectory(dir.resolve("results.csv"));
        Files.writeString(d.resolve("inside"), "x");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(d, out -> out.write(1)));
        assertTrue(e.getMessage().contains(d.toString()) && e.getMessage().contains("is a directory"), e.getMessage());
        assertEquals(List.of(d), listing(dir), "no temporary file left");
    }

    @Test
    void aMissingOutputDirectoryIsNamedNotTheTemporaryFile() {
        Path target = dir.resolve("no-such-dir").resolve("x.csv");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> out.write(1)));
        assertTrue(e.getMessage().startsWith(target.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("directory " + target.getParent() + " does not exist"), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    }

    @Test
    void aNewOutputHonoursTheUmask() throws IOException {
        Set<PosixFilePermission> plain = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        Assumptions.assumeFalse(plain.equals(PosixFilePermissions.fromString("rw-------")),
                "the umask is 077: every new file is 0600 anyway");
        Path target = dir.resolve("out.bin");
        AtomicFiles.write(target, out -> out.write(1));
        assertEquals(PosixFilePermissions.toString(plain), PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    @Test
    void replacingAFileKeepsItsMode() throws IOException {
        Path target = dir.resolve("out.bin");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.write(target, out -> out.write(1));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    @Test
    void staleTemporaryFilesOfThisTargetAreRemovedOnTheNextWrite() throws Exception {
        Path target = dir.resolve("model.safetensors");
        long dead = deadPid();
        Path ofDeadWriter = Files.writeString(dir.resolve(".model.safetensors." + dead + "@" + AtomicFiles.host()
                + ".1234abcd.tmp"), "partial");
        Path oldLegacy = Files.writeString(dir.resolve(".model.safetensors.8812345678901.tmp"), "partial");
        Files.setLastModifiedTime(oldLegacy, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path freshLegacy = Files.writeString(dir.resolve(".model.safetensors.99887766.tmp"), "maybe a live writer");
        Path live = Files.writeString(dir.resolve(".model.safetensors." + ProcessHandle.current().pid() + "@"
                + AtomicFiles.host() + ".beef.tmp"), "a live writer");
        Path otherTarget = Files.writeString(dir.resolve(".other.bin." + dead + "@" + AtomicFiles.host() + ".1.tmp"), "x");
        Path notOurs = Files.writeString(dir.resolve(".model.safetensors.swp"), "an editor's");

        AtomicFiles.write(target, out -> out.write(1));

        assertFalse(Files.exists(ofDeadWriter), "a temporary file whose writer is gone is removed");
        assertFalse(Files.exists(oldLegacy), "an old temporary file without a pid is removed");
        assertTrue(Files.exists(freshLegacy), "a recent temporary file of unknown writer is kept");
        assertTrue(Files.exists(live), "a running writer's temporary file is kept");
        assertTrue(Files.exists(otherTarget), "only this target's temporary files are looked at");
        assertTrue(Files.exists(notOurs), "files of another naming are never touched");
    }

    @Test
    void removeStaleTempsSweepsAWholeDirectoryWithTheSameRule() throws Exception {
        long dead = deadPid();
        Path a = Files.writeString(dir.resolve(".a.json." + dead + "@" + AtomicFiles.host() + ".1.tmp"), "x");
        Path b = Files.writeString(dir.resolve(".b.json." + ProcessHandle.current().pid() + "@" + AtomicFiles.host()
                + ".1.tmp"), "x");
        Path c = Files.writeString(dir.resolve("c.json"), "x");
        assertEquals(1, AtomicFiles.removeStaleTemps(dir));
        assertFalse(Files.exists(a));
        assertTrue(Files.exists(b) && Files.exists(c));
    }

    /** The pid of a process that has exited. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        long pid = p.pid();
        Assumptions.assumeTrue(ProcessHandle.of(pid).isEmpty(), "the pid was reused at once");
        return pid;
    }

    private static List<Path> listing(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
