package org.asrworkbench.robustness;

import org.asrworkbench.app.controller.ModelController;
import org.asrworkbench.app.controller.RepairController;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.cli.AsrCli;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.io.ModelFiles;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.io.SafetensorsWriter;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One named case per kind of corrupt input, each checked twice: on the command line (non-zero exit,
 * stderr names the file and the problem) and in the workbench's controllers (the job fails, the
 * error names the file and the problem, and what was open before stays open).
 */
class CorruptInputsTest {
    @TempDir
    Path dir;

    private final Bench bench = new Bench();
    private final WorkbenchModel model = bench.model;
    private final ComputeService compute = bench.compute;
    private final ModelController models = bench.models;
    private final RepairController repair = bench.repair;
    private final List<String> errors = bench.errors;

    /** The workbench as a user has it before the bad file: the sample model and its two datasets open. */
    @BeforeEach
    void openTheSample() {
        bench.openSample();
    }

    // ---------------------------------------------------------------- models

    @Test
    void truncatedModelFile() throws Exception {
        byte[] bytes = Files.readAllBytes(Bench.SAMPLE);
        Path bad = Files.write(dir.resolve("truncated.safetensors"), Arrays.copyOf(bytes, bytes.length / 2));
        badModel(bad, "run past the end of the file");
    }

    @Test
    void modelFileWithWrongMagic() throws Exception {
        Path bad = Files.write(dir.resolve("wrong-magic.pt"), "GIF89a, not a checkpoint".getBytes(StandardCharsets.US_ASCII));
        badModel(bad, "unknown model format");
    }

    @Test
    void modelWithUnsupportedDtype() throws Exception {
        badModel(patched("complex", "\"F32\"", "\"C64\""), "unsupported dtype C64");
    }

    @Test
    void modelWhoseShapeDoesNotFitTheArchitecture() throws Exception {
        badModel(modified("wide-kernel", sd -> sd.put("layer2.0.conv2.weight",
                new Tensor(new long[] {16, 16, 5, 5}, new float[16 * 16 * 25]))), "layer2.0.conv2.weight");
    }

    @Test
    void modelWithNaNWeights() throws Exception {
        badModel(modified("nan", sd -> poison(sd, "layer3.1.bn2.weight", Float.NaN)),
                "tensor 'layer3.1.bn2.weight' has a non-finite value (NaN)");
    }

    @Test
    void modelWithInfiniteWeights() throws Exception {
        badModel(modified("inf", sd -> poison(sd, "linear.weight", Float.NEGATIVE_INFINITY)),
                "tensor 'linear.weight' has a non-finite value (-Infinity)");
    }

    @Test
    void modelWithNegativeRunningVariance() throws Exception {
        badModel(modified("negative-var", sd -> poison(sd, "layer2.1.bn1.running_var", -0.5f)),
                "tensor 'layer2.1.bn1.running_var' (BatchNorm 'layer2.1.bn1' running variance) has a negative value"
                        + " (-0.5) at index");
    }

    @Test
    void safetensorsHeaderWithADuplicateKey() throws Exception {
        // the header names layer1.0.bn1.bias twice (the second in place of layer1.0.bn2.bias, same length)
        badModel(patched("duplicate", "\"layer1.0.bn2.bias\"", "\"layer1.0.bn1.bias\""),
                "safetensors header has the key 'layer1.0.bn1.bias' twice");
    }

    @Test
    void safetensorsTensorsWhoseDataOverlap() throws Exception {
        byte[] header = ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        Path file = Files.write(dir.resolve("overlap.safetensors"), b.putLong(header.length).put(header).array());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.readStateDict(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("the data of tensors 'a' [0, 8) and 'b' [4, 12) overlap"), e.getMessage());
    }

    // ---------------------------------------------------------------- datasets

    @Test
    void truncatedDatasetFile() throws Exception {
        Path images = idx("cut", 28, 28, 4, true);
        Files.write(images, Arrays.copyOf(Files.readAllBytes(images), 16 + 28 * 28 * 3));
        badEvalData(images, "truncated");
    }

    @Test
    void datasetFileWithWrongMagic() throws Exception {
        Path images = idx("magic", 28, 28, 4, true);
        byte[] b = Files.readAllBytes(images);
        b[3] = 0x01;
        badEvalData(Files.write(images, b), "not an IDX images file: magic 0x00000801");
    }

    @Test
    void datasetWhoseImageSizeDoesNotFitTheModel() throws Exception {
        badEvalData(idx("large", 32, 32, 4, true), "images are 32x32, but the model");
    }

    @Test
    void datasetWhoseChannelCountDoesNotFitTheModel() throws Exception {
        byte[] cifar = new byte[2 * 3073];
        badEvalData(Files.write(dir.resolve("colour.bin"), cifar), "images have 3 channel(s), but the model");
    }

    @Test
    void emptyCalibrationSet() {
        Run r = cli("repair", "--model", Bench.SAMPLE.toString(), "--norm", Bench.NORM, "--data", Bench.EVAL_IMAGES.toString(),
                "--calib-data", Bench.CALIB_IMAGES.toString(), "--calib-n", "0", "--limit", "10", "--no-dense-eval",
                "--device", "cpu");
        // the one rule of grid files and the fields (SettingRules): refused as a usage error before any file is read
        r.assertFailure("--calib-n", "must be a whole number of at least 1, not 0");

        NetworkStats before = model.getStats();
        model.calibNProperty().set(0);
        assertTrue(repair.statisticsPass());
        assertGuiFailure(Bench.CALIB_IMAGES.toString(), "empty calibration set (N = 0)");
        assertSame(before, model.getStats());
    }

    @Test
    void calibrationFolderWithoutImages() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("no-images").resolve("shirt"));
        Files.writeString(folder.resolve("notes.txt"), "no images here");
        Path root = folder.getParent();
        Run r = cli("repair", "--model", Bench.SAMPLE.toString(), "--norm", Bench.NORM, "--data", Bench.EVAL_IMAGES.toString(),
                "--calib-data", root.toString(), "--calib-n", "8", "--limit", "10", "--no-dense-eval", "--device", "cpu");
        r.assertFailure(root.toString(), "no PNG or JPEG files");

        ImageDataset before = model.getCalibDataset();
        assertTrue(models.openCalibDataset(root));
        assertGuiFailure(root.toString(), "no PNG or JPEG files");
        assertSame(before, model.getCalibDataset());
    }

    // ---------------------------------------------------------------- helpers

    /** A model file fails the same way in {@code info} and in File › Open model; the open model stays. */
    private void badModel(Path file, String problem) {
        cli("info", "--model", file.toString(), "--norm", Bench.NORM).assertFailure(file.toString(), problem);
        LoadedModel before = model.getModel();
        assertTrue(models.openModel(file));
        assertGuiFailure(file.toString(), problem);
        assertSame(before, model.getModel());
    }

    /** An evaluation dataset fails the same way in {@code eval} and in File › Open evaluation dataset. */
    private void badEvalData(Path file, String problem) {
        cli("eval", "--model", Bench.SAMPLE.toString(), "--norm", Bench.NORM, "--data", file.toString(), "--device", "cpu")
                .assertFailure(file.toString(), problem);
        ImageDataset before = model.getEvalDataset();
        assertTrue(models.openEvalDataset(file));
        assertGuiFailure(file.toString(), problem);
        assertSame(before, model.getEvalDataset());
    }

    private void assertGuiFailure(String file, String problem) {
        assertEquals(JobStatus.FAILED, model.jobStatusProperty().get());
        assertFalse(compute.isBusy(), "the app stays usable");
        assertEquals(1, errors.size(), errors.toString());
        String shown = errors.get(0);
        assertEquals(shown, model.lastErrorProperty().get());
        assertTrue(shown.contains(file) && shown.contains(problem), shown);
    }

    private Path modified(String name, Consumer<StateDict> change) throws Exception {
        StateDict sd = ModelFiles.readStateDict(Bench.SAMPLE);
        change.accept(sd);
        Path file = dir.resolve(name + ".safetensors");
        SafetensorsWriter.write(file, sd, Map.of());
        return file;
    }

    /** The sample with the first {@code from} in its bytes replaced by {@code to} (of the same length). */
    private Path patched(String name, String from, String to) throws IOException {
        byte[] bytes = Files.readAllBytes(Bench.SAMPLE);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf(from);
        System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, bytes, at, from.length());
        return Files.write(dir.resolve(name + ".safetensors"), bytes);
    }

    private static void poison(StateDict sd, String name, float value) {
        Tensor t = sd.require(name);
        float[] data = t.data().clone();
        data[data.length / 2] = value;
        sd.put(name, new Tensor(t.shape(), data));
    }

    /** An uncompressed IDX pair {@code <name>-images-idx3-ubyte} / {@code -labels-} of {@code n} images. */
    private Path idx(String name, int rows, int cols, int n, boolean withLabels) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + n * rows * cols).putInt(0x803).putInt(n).putInt(rows).putInt(cols);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            labels.put((byte) i);
        }
        if (withLabels) {
            Files.write(dir.resolve(name + "-labels-idx1-ubyte"), labels.array());
        }
        return Files.write(dir.resolve(name + "-images-idx3-ubyte"), images.array());
    }

    record Run(int code, String out, String err) {
        void assertFailure(String file, String problem) {
            assertNotEquals(0, code, "exit code; stderr: " + err);
            assertTrue(err.contains(file) && err.contains(problem), "stderr: " + err);
        }
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = AsrCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
