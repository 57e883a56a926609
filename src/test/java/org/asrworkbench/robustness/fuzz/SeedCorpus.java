package org.asrworkbench.robustness.fuzz;

import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.service.SessionFile;
import org.asrworkbench.core.io.SafetensorsWriter;
import org.asrworkbench.core.io.TorchCheckpointReaderTest;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.StatsJson;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.core.tensor.DType;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.testing.PickleBytes;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The fuzzers' seeds: small valid files of every format, built to the formats' specifications.
 * {@link #main} writes them to {@code src/test/resources/.../ReaderFuzzTestInputs/<method>/}
 * (committed); {@link SeedCorpusTest} checks that every committed seed reads. Beside them, the
 * {@link #hostile} seeds: files that once hung a reader, each of which must be refused.
 */
public final class SeedCorpus {
    /** CIFAR image size in bytes (3x32x32). */
    static final int CIFAR_PIXELS = 3072;
    /** Where the committed seeds live, relative to the project root. */
    static final Path DIRECTORY = Path.of("src/test/resources/org/asrworkbench/robustness/fuzz/ReaderFuzzTestInputs");

    private SeedCorpus() {
    }

    /** The seeds of {@code target}, by file name. */
    static Map<String, byte[]> seeds(Target target) throws IOException {
        Map<String, byte[]> s = new LinkedHashMap<>();
        switch (target) {
            case SAFETENSORS -> {
                s.put("f32-and-f16", safetensors(DType.F32));
                s.put("bf16", safetensors(DType.BF16));
            }
            case TORCH_ZIP -> s.put("zip-checkpoint", TorchCheckpointReaderTest.zipCheckpoint());
            case TORCH_LEGACY -> s.put("legacy-checkpoint", TorchCheckpointReaderTest.legacyCheckpoint());
            case PICKLE -> s.put("cifar-batch", cifarBatch("labels", 1));
            case CIFAR_BINARY -> s.put("two-records", cifarBinary(2));
            case CIFAR_PICKLE -> {
                s.put("cifar10-batch", cifarBatch("labels", 2));
                s.put("cifar100-batch", cifarBatch("fine_labels", 1));
            }
            case IDX -> {
                s.put("plain", idx(false));
                s.put("gzip", idx(true));
            }
            case IMAGE_FOLDER -> {
                s.put("png", image("png"));
                s.put("jpeg", image("jpeg"));
            }
            case ONNX -> {
                s.put("small", org.asrworkbench.testing.OnnxModels.model().toByteArray());
                s.put("cifar-resnet8-optA", Files.readAllBytes(
                        org.asrworkbench.testing.OnnxFixtures.committed("tiny-cifar-resnet8-optA-folded.onnx")));
            }
            case SESSION_JSON -> s.put("session", session());
            case STATS_JSON -> s.put("stats", stats());
            default -> throw new IllegalArgumentException(target.toString());
        }
        return s;
    }

    /** Prefix of a hostile seed's file name: a file every read of its target must refuse, quickly. */
    static final String HOSTILE = "hostile-";

    /**
     * The hostile seeds of {@code target}, by file name (each starts with {@link #HOSTILE}): inputs that
     * once hung or exhausted a reader (issue 21: numeric literals Pyrolite parses in quadratic time).
     * The zip holds a million digits in about a kilobyte; the plain pickles hold a few thousand.
     */
    static Map<String, byte[]> hostile(Target target) throws IOException {
        Map<String, byte[]> s = new LinkedHashMap<>();
        int digits = 4096;
        switch (target) {
            case TORCH_ZIP -> s.put(HOSTILE + "million-digit-long", zip("archive/data.pkl",
                    PickleBytes.decimalLiteral('L', 1_000_000, "L")));
            case TORCH_LEGACY -> s.put(HOSTILE + "long-digits", PickleBytes.decimalLiteral('L', digits, "L"));
            case PICKLE -> {
                s.put(HOSTILE + "int-digits", PickleBytes.decimalLiteral('I', digits, ""));
                s.put(HOSTILE + "long-digits", PickleBytes.decimalLiteral('L', digits, "L"));
                s.put(HOSTILE + "float-digits", PickleBytes.decimalLiteral('F', digits, ".5"));
                s.put(HOSTILE + "long1-bytes", PickleBytes.binaryLong(1, 255));
                s.put(HOSTILE + "long4-bytes", PickleBytes.binaryLong(4, digits));
            }
            case CIFAR_PICKLE -> s.put(HOSTILE + "long-digits", PickleBytes.decimalLiteral('L', digits, "L"));
            default -> {
                // no hostile seed yet
            }
        }
        return s;
    }

    private static byte[] zip(String entry, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            java.util.zip.ZipEntry e = new java.util.zip.ZipEntry(entry);
            e.setTimeLocal(java.time.LocalDateTime.of(2020, 1, 1, 0, 0)); // the same bytes on every run
            z.putNextEntry(e);
            z.write(content);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    /** A 2x3 weight and a 3-element bias in {@code dtype}, with metadata. */
    static byte[] safetensors(DType dtype) throws IOException {
        StateDict sd = new StateDict();
        sd.put("conv.weight", new Tensor(new long[] {2, 3}, new float[] {1, -2, 0.5f, 3, 0, -1}));
        sd.put("bn.bias", new Tensor(new long[] {3}, new float[] {0.25f, 4, -8}));
        Path tmp = Files.createTempFile("seed", ".safetensors");
        try {
            SafetensorsWriter.write(tmp, sd, Map.of("format", "pt"), dtype);
            return Files.readAllBytes(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    /** A CIFAR python batch of {@code n} images: {@code {labels: [...], data: uint8[n, 3072]}}. */
    static byte[] cifarBatch(String labelsKey, int n) {
        int[] labels = new int[n];
        byte[] pixels = new byte[n * CIFAR_PIXELS];
        for (int i = 0; i < n; i++) {
            labels[i] = (3 * i + 1) % 10;
        }
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (k * 7);
        }
        PickleBytes p = new PickleBytes().proto(2).emptyDict().mark();
        p.str(labelsKey).intList(labels);
        p.str("data").uint8Array(pixels, n, CIFAR_PIXELS);
        return p.setItems().stop().bytes();
    }

    /** {@code n} CIFAR-10 binary records (label byte, then 3072 pixel bytes). */
    static byte[] cifarBinary(int n) {
        byte[] b = new byte[n * (CIFAR_PIXELS + 1)];
        for (int i = 0; i < n; i++) {
            b[i * (CIFAR_PIXELS + 1)] = (byte) (i % 10);
            for (int k = 1; k <= CIFAR_PIXELS; k++) {
                b[i * (CIFAR_PIXELS + 1) + k] = (byte) (k + i);
            }
        }
        return b;
    }

    /** The {@link Target#IDX} input for two 4x4 images: length of the labels file, labels file, images file. */
    static byte[] idx(boolean gzip) throws IOException {
        byte[] labels = ByteBuffer.allocate(8 + 2).putInt(0x801).putInt(2).put((byte) 3).put((byte) 9).array();
        ByteBuffer images = ByteBuffer.allocate(16 + 32).putInt(0x803).putInt(2).putInt(4).putInt(4);
        for (int k = 0; k < 32; k++) {
            images.put((byte) (k * 8));
        }
        byte[] l = gzip ? gzip(labels) : labels;
        byte[] im = gzip ? gzip(images.array()) : images.array();
        return ByteBuffer.allocate(4 + l.length + im.length).putInt(l.length).put(l).put(im).array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    /** A 6x5 RGB gradient as PNG or JPEG. */
    static byte[] image(String format) throws IOException {
        BufferedImage im = new BufferedImage(6, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                im.setRGB(x, y, (x * 40) << 16 | (y * 50) << 8 | 128);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(im, format, out)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    /** A session with one run. */
    static byte[] session() throws IOException {
        SessionFile s = new SessionFile(SessionFile.VERSION, "/m/model.safetensors", "cifar", "/d/test_batch.bin",
                "/d/calib.bin", "global-magnitude", 0.9, "asr", 0.5, 256, "0", 1000, false,
                List.of(new RunRecord("model.safetensors", "global-magnitude", 0.9, 0.9, "asr", 0.5, 256, "0", 0.8,
                        1000, 2.5, null, 0.92, 0.4, "cifar")));
        Path tmp = Files.createTempFile("seed", ".json");
        try {
            s.write(tmp);
            return Files.readAllBytes(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    /** Statistics of one two-channel unit. */
    static byte[] stats() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(NetworkStats.MODEL, "resnet20");
        settings.put(NetworkStats.METHOD, "asr");
        settings.put(NetworkStats.LAMBDA, 0.5);
        UnitStats u = new UnitStats("conv1", "bn1", 1e-5, new double[] {1, 0.5}, new double[] {0.1, 0},
                new double[] {1, 2}, new double[] {0, 1}, new double[] {2, 0}, new double[] {0, 1},
                new double[] {1, 0}, new double[] {0.5, 0});
        return StatsJson.toJson(new NetworkStats(settings, List.of(u))).getBytes(StandardCharsets.UTF_8);
    }

    /** Writes every target's seeds under {@link #DIRECTORY} (run from the project root). */
    public static void main(String[] args) throws IOException {
        for (Target t : Target.values()) {
            Path dir = Files.createDirectories(DIRECTORY.resolve(t.method()));
            for (Map.Entry<String, byte[]> e : seeds(t).entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
            for (Map.Entry<String, byte[]> e : hostile(t).entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
        }
    }
}
