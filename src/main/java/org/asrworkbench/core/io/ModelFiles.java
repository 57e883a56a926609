package org.asrworkbench.core.io;

import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.util.IoMessages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a model file of any supported format, recognised by its content rather than its name: a
 * zip archive ({@code PK\3\4}: PyTorch &ge; 1.6), a safetensors header (8-byte length then
 * {@code '{'}), or a pickle (protocol byte {@code 0x80}: legacy PyTorch).
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    public static StateDict readStateDict(Path file) throws ModelFormatException {
        byte[] head = head(file, 9);
        if (head.length == 0) {
            throw new ModelFormatException(file, "file is empty");
        }
        if (isZip(head)) {
            return TorchCheckpointReader.read(file);
        }
        if (isSafetensors(head)) {
            return SafetensorsReader.read(file);
        }
        if ((head[0] & 0xff) == 0x80) {
            return TorchCheckpointReader.read(file);
        }
        throw new ModelFormatException(file, "unknown model format (expected a PyTorch checkpoint or safetensors)");
    }

    /** Whether the leading bytes are those of a format {@link #readStateDict} reads. */
    public static boolean isStateDict(byte[] head) {
        return isZip(head) || isSafetensors(head) || (head.length > 0 && (head[0] & 0xff) == 0x80);
    }

    static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /** A JSON object after the 8-byte length: whether that length fits is {@link SafetensorsReader}'s to say. */
    private static boolean isSafetensors(byte[] head) {
        return head.length >= 9 && head[8] == '{';
    }

    /** Up to {@code n} leading bytes of the file, which must be a regular file (a pipe would block). */
    public static byte[] head(Path file, int n) throws ModelFormatException {
        RegularFiles.requireRegularFile(file, p -> new ModelFormatException(file, p));
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + IoMessages.reason(e), e);
        }
    }
}
