package org.asrworkbench.core.io;

import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {
    @TempDir
    Path dir;

    @Test
    void detectsEachFormatByContentNotByName() throws Exception {
        Path zip = Files.write(dir.resolve("model.safetensors"), TorchCheckpointReaderTest.zipCheckpoint());
        Path legacy = Files.write(dir.resolve("model.bin"), TorchCheckpointReaderTest.legacyCheckpoint());
        Path st = dir.resolve("model.pt");
        SafetensorsWriter.write(st, ModelFiles.readStateDict(zip), Map.of());
        assertEquals(TorchCheckpointReader.read(zip).asMap(), ModelFiles.readStateDict(st).asMap());
        assertEquals(TorchCheckpointReader.read(legacy).asMap(), ModelFiles.readStateDict(legacy).asMap());
    }

    @Test
    void sharedCheckpointAndSafetensorsAgreeThroughModelFiles() throws Exception {
        StateDict th = ModelFiles.readStateDict(SharedData.resnet20Th());
        StateDict st = ModelFiles.readStateDict(SharedData.resnet20Safetensors());
        assertEquals(st.asMap(), th.asMap());
    }

    @Test
    void emptyUnknownAndTruncatedFilesNameTheFile() throws Exception {
        Path st = dir.resolve("ok.safetensors");
        SafetensorsWriter.write(st, TorchCheckpointReader.read(
                Files.write(dir.resolve("src.pt"), TorchCheckpointReaderTest.zipCheckpoint())), Map.of());
        byte[] stBytes = Files.readAllBytes(st);
        Map<String, byte[]> bad = Map.of(
                "empty.pt", new byte[0],
                "text.pt", "hello, not a model".getBytes(),
                "cut.safetensors", Arrays.copyOf(stBytes, stBytes.length - 4),
                "cut-header.safetensors", Arrays.copyOf(stBytes, 20),
                "cut.zip.pt", Arrays.copyOf(TorchCheckpointReaderTest.zipCheckpoint(), 200),
                "cut.legacy.th", Arrays.copyOf(TorchCheckpointReaderTest.legacyCheckpoint(), 150));
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            Path file = Files.write(dir.resolve(e.getKey()), e.getValue());
            ModelFormatException ex = assertThrows(ModelFormatException.class, () -> ModelFiles.readStateDict(file),
                    e.getKey());
            assertTrue(ex.getMessage().startsWith(file + ": "), ex.getMessage());
        }
    }
}
