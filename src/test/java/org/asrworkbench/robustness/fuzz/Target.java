package org.asrworkbench.robustness.fuzz;

import org.asrworkbench.app.service.SessionFile;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.IdxDataset;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.ImageFolderDataset;
import org.asrworkbench.core.io.AllowList;
import org.asrworkbench.core.io.ModelFiles;
import org.asrworkbench.core.io.SafeUnpickler;
import org.asrworkbench.core.io.SafetensorsReader;
import org.asrworkbench.core.io.TorchCheckpointReader;
import org.asrworkbench.core.onnx.OnnxImporter;
import org.asrworkbench.core.stats.StatsJson;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One file reader under test: how a fuzzer's bytes become files in a work directory, and the
 * reads done on them (each read is checked on its own). Every read goes through the same entry
 * points as the command line and the workbench, and reads images, not only headers.
 */
enum Target {
    SAFETENSORS("safetensors", (dir, data) -> List.of(
            () -> SafetensorsReader.read(write(dir.resolve("model.safetensors"), data)),
            () -> ModelFiles.readStateDict(dir.resolve("model.safetensors")))),
    TORCH_ZIP("torchZip", (dir, data) -> List.of(
            () -> TorchCheckpointReader.read(write(dir.resolve("model.pt"), data)),
            () -> ModelFiles.readStateDict(dir.resolve("model.pt")))),
    TORCH_LEGACY("torchLegacy", (dir, data) -> List.of(
            () -> TorchCheckpointReader.read(write(dir.resolve("model.th"), data)),
            () -> ModelFiles.readStateDict(dir.resolve("model.th")))),
    PICKLE("pickle", (dir, data) -> List.of(
            () -> SafeUnpickler.load(write(dir.resolve("data.pkl"), data), AllowList.TORCH_CHECKPOINT),
            () -> SafeUnpickler.load(dir.resolve("data.pkl"), AllowList.NUMPY_ARRAYS),
            () -> SafeUnpickler.loadCifarBatch(dir.resolve("data.pkl")))),
    CIFAR_BINARY("cifarBinary", (dir, data) -> List.of(
            () -> readImages(Datasets.open(write(dir.resolve("batch.bin"), data), Datasets.CIFAR10_BIN,
                    DatasetOptions.defaults())),
            () -> readImages(Datasets.open(dir.resolve("batch.bin"), Datasets.CIFAR100_BIN, DatasetOptions.defaults())),
            () -> readImages(Datasets.open(dir.resolve("batch.bin"), null, DatasetOptions.defaults())))),
    CIFAR_PICKLE("cifarPickle", (dir, data) -> List.of(
            () -> readImages(Datasets.open(write(dir.resolve("test_batch"), data), null, DatasetOptions.defaults())),
            () -> readImages(Datasets.open(dir.resolve("test_batch"), Datasets.CIFAR100_PY,
                    DatasetOptions.defaults())))),
    /** Input: a 4-byte big-endian length {@code L}, the labels file's {@code L} bytes, then the images file. */
    IDX("idx", (dir, data) -> {
        ByteBuffer b = ByteBuffer.wrap(data);
        int labelsLength = data.length >= 4 ? Math.min(Math.max(b.getInt(), 0), data.length - 4) : 0;
        int from = Math.min(4, data.length);
        Path labels = write(dir.resolve("f-labels-idx1-ubyte"), Arrays.copyOfRange(data, from, from + labelsLength));
        Path images = write(dir.resolve("f-images-idx3-ubyte"),
                Arrays.copyOfRange(data, from + labelsLength, data.length));
        return List.of(() -> readImages(IdxDataset.open(images, labels)),
                () -> readImages(Datasets.open(images, null, DatasetOptions.defaults())));
    }),
    /** Input: one image file in a one-class image folder, read as RGB and as grayscale. */
    IMAGE_FOLDER("imageFolder", (dir, data) -> {
        write(dir.resolve("folder").resolve("cls").resolve("image.png"), data);
        return List.of(() -> readImages(ImageFolderDataset.open(dir.resolve("folder"), 36, 32, 3)),
                () -> readImages(ImageFolderDataset.open(dir.resolve("folder"), 28, 28, 1)));
    }),
    /** Input: an ONNX model, imported (every tensor read, every node translated or refused). */
    ONNX("onnx", (dir, data) -> List.of(
            () -> OnnxImporter.read(write(dir.resolve("model.onnx"), data)))),
    SESSION_JSON("sessionJson", (dir, data) -> List.of(
            () -> SessionFile.read(write(dir.resolve("session.json"), data)))),
    STATS_JSON("statsJson", (dir, data) -> List.of(
            () -> StatsJson.read(write(dir.resolve("stats.json"), data))));

    /** Images read from a dataset that opened: the first ones and the last. */
    static final int IMAGES_READ = 8;

    /** One read of the files a fuzz input became. */
    @FunctionalInterface
    interface Read {
        Object run() throws Exception;
    }

    @FunctionalInterface
    interface Setup {
        List<Read> prepare(Path dir, byte[] data) throws IOException;
    }

    private final String method;
    private final Setup setup;

    Target(String method, Setup setup) {
        this.method = method;
        this.setup = setup;
    }

    /** The fuzz test method's name, which is also the directory of its seed corpus. */
    String method() {
        return method;
    }

    /** Writes {@code data} as this target's files under {@code dir} and returns the reads to run. */
    List<Read> prepare(Path dir, byte[] data) throws IOException {
        return setup.prepare(dir, data);
    }

    private static Path write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, data);
    }

    /** Reads labels and pixels of the first {@link #IMAGES_READ} images and of the last one, then closes. */
    static int readImages(ImageDataset dataset) throws IOException {
        try (dataset) {
            int n = Math.min(IMAGES_READ, dataset.size());
            int[] indices = new int[n + 1];
            for (int i = 0; i < n; i++) {
                indices[i] = i;
            }
            indices[n] = dataset.size() - 1;
            float[] pixels = new float[Math.multiplyExact(indices.length,
                    dataset.channels() * dataset.height() * dataset.width())];
            int[] labels = dataset.read(indices, pixels);
            for (int i = 0; i < indices.length; i++) {
                if (labels[i] != dataset.label(indices[i]) || labels[i] < 0 || labels[i] >= dataset.classNames().size()) {
                    throw new AssertionError(dataset.source() + ": label " + labels[i] + " of image " + indices[i]
                            + " disagrees with label() or the " + dataset.classNames().size() + " classes");
                }
            }
            return dataset.size();
        }
    }
}
