package org.asrworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.asrworkbench.core.data.ModelSidecar;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    @Test
    void trainsAndWritesWeightsSidecarAndCheckpoint(@TempDir Path dir) throws Exception {
        Path images = writeIdx(dir, 32);
        Path out = dir.resolve("models/tiny.safetensors");
        StringWriter stdout = new StringWriter();
        CommandLine cl = new CommandLine(new AsrCli());
        cl.setOut(new PrintWriter(stdout));
        cl.setErr(new PrintWriter(new StringWriter()));
        int rc = cl.execute("train", "--arch", "resnet8", "--width", "0.25", "--data", images.toString(),
                "--test", images.toString(), "--epochs", "1", "--batch-size", "8", "--seed", "3",
                "--out", out.toString(), "--work-dir", dir.resolve("work").toString(), "--device", "cpu");
        assertEquals(0, rc);

        String[] lines = stdout.toString().strip().split("\n");
        JsonNode result = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("resnet8-w0.25", result.get("architecture").asText());
        assertEquals(1, result.get("epochs").asInt());
        assertTrue(result.get("top1").isNumber());

        ModelSidecar sidecar = ModelSidecar.read(ModelSidecar.pathFor(out));
        assertEquals("fashion-mnist", sidecar.normalisation().name());
        assertEquals(3L, sidecar.seed());
        assertEquals(result.get("top1").asDouble(), sidecar.testAccuracy(), 1e-12);
        assertTrue(sidecar.trainingCommand().startsWith("asr-workbench train --arch resnet8"));
        assertEquals(1, Checkpoint.load(dir.resolve("work")).epoch());

        LoadedModel loaded = ModelLoader.load(out, null, null);
        assertEquals("resnet8-w0.25", loaded.arch().toString());
        assertEquals(sidecar.classNames(), loaded.normalization().classNames());
    }

    @Test
    void resumeWithoutWorkDirIsAUsageError(@TempDir Path dir) throws Exception {
        CommandLine cl = new CommandLine(new AsrCli());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("train", "--arch", "resnet8", "--data", writeIdx(dir, 4).toString(),
                "--out", dir.resolve("x.safetensors").toString(), "--resume");
        assertEquals(2, rc);
        assertTrue(err.toString().contains("--resume needs --work-dir"), err.toString());
    }

    @Test
    void padTrainsACifarVggOn28x28ImagesAndRecordsThePad(@TempDir Path dir) throws Exception {
        Path images = writeIdx(dir, 16);
        Path out = dir.resolve("vgg.safetensors");
        CommandLine cl = new CommandLine(new AsrCli());
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("train", "--arch", "vgg11_bn-cifar", "--width", "0.0625", "--pad", "2", "--data",
                images.toString(), "--test", images.toString(), "--epochs", "1", "--batch-size", "8",
                "--out", out.toString(), "--device", "cpu");
        assertEquals(0, rc, err.toString());
        ModelSidecar sidecar = ModelSidecar.read(ModelSidecar.pathFor(out));
        assertEquals(2, sidecar.normalisation().pad());
        assertEquals(32, sidecar.normalisation().height());
        LoadedModel loaded = ModelLoader.load(out, null, null);
        assertEquals(2, loaded.normalization().pad());
        assertEquals(28, loaded.normalization().imageHeight());

        StringWriter evalErr = new StringWriter();
        StringWriter evalOut = new StringWriter();
        CommandLine eval = new CommandLine(new AsrCli());
        eval.setOut(new PrintWriter(evalOut));
        eval.setErr(new PrintWriter(evalErr));
        assertEquals(0, eval.execute("eval", "--model", out.toString(), "--data", images.toString(), "--device", "cpu"),
                evalErr.toString());
        assertTrue(evalOut.toString().contains("\"n\" : 16") || evalOut.toString().contains("\"n\":16"),
                evalOut.toString());

        StringWriter badErr = new StringWriter();
        CommandLine bad = new CommandLine(new AsrCli());
        bad.setErr(new PrintWriter(badErr));
        assertEquals(2, bad.execute("train", "--arch", "resnet8", "--pad", "-1", "--data", images.toString(),
                "--out", dir.resolve("x.safetensors").toString()));
        assertTrue(badErr.toString().contains("--pad must be 0 or more"), badErr.toString());
    }

    /** A tiny 28x28 IDX pair with 10 classes (random pixels), as Fashion-MNIST is laid out. */
    private static Path writeIdx(Path dir, int count) throws IOException {
        Path images = dir.resolve("tiny-images-idx3-ubyte");
        Random rng = new Random(5);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(0x803);
            out.writeInt(count);
            out.writeInt(28);
            out.writeInt(28);
            byte[] px = new byte[28 * 28];
            for (int i = 0; i < count; i++) {
                rng.nextBytes(px);
                out.write(px);
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("tiny-labels-idx1-ubyte")))) {
            out.writeInt(0x801);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(i % 10);
            }
        }
        return images;
    }
}
