package org.asrworkbench.robustness;

import org.asrworkbench.core.data.DatasetFormatException;
import org.asrworkbench.core.data.IdxDataset;
import org.asrworkbench.core.data.ImageFolderDataset;
import org.asrworkbench.core.io.AllowList;
import org.asrworkbench.core.io.ModelFiles;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.io.SafeUnpickler;
import org.asrworkbench.testing.PickleBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files built to exhaust the readers: each is refused quickly, with a typed error that names the
 * file, before any allocation in proportion to what the file claims.
 */
@Timeout(60)
class HostileInputsTest {
    private static final int MILLION = 1_000_000;
    @TempDir
    Path dir;

    private static <T extends Exception> T refused(Class<T> type, Path file, String problem, Executable read) {
        T e = assertThrows(type, read);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        return e;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void safetensorsHeaderClaiming100GigabytesIsRefused() throws Exception {
        Path file = dir.resolve("header.safetensors");
        Files.write(file, le(16).putLong(100L << 30).put("{\"a\":1}".getBytes(StandardCharsets.US_ASCII)).array());
        refused(ModelFormatException.class, file, "header length 107374182400", () -> ModelFiles.readStateDict(file));
    }

    @Test
    void safetensorsTensorClaiming100GigabytesIsRefused() throws Exception {
        Path file = dir.resolve("tensor.safetensors");
        long bytes = 100L << 30;
        byte[] header = ("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + bytes / 4 + "],\"data_offsets\":[0," + bytes + "]}}")
                .getBytes(StandardCharsets.US_ASCII);
        Files.write(file, le(8 + header.length + 16).putLong(header.length).put(header).array());
        refused(ModelFormatException.class, file, "tensor 'w': data offsets [0, 107374182400)",
                () -> ModelFiles.readStateDict(file));
    }

    /** A zip checkpoint whose data.pkl is {@code pickle} (stored compressed). */
    private Path zipCheckpoint(String name, byte[] dataPkl, String storageEntry, long storageZeros) throws IOException {
        Path file = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(dataPkl);
            zip.closeEntry();
            if (storageEntry != null) {
                zip.putNextEntry(new ZipEntry(storageEntry));
                writeZeros(zip, storageZeros);
                zip.closeEntry();
            }
        }
        return file;
    }

    private static void writeZeros(OutputStream out, long n) throws IOException {
        byte[] zeros = new byte[1 << 20];
        for (long left = n; left > 0; left -= zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
    }

    /** {@code {'w': _rebuild_tensor_v2(storage '0' of numel floats, 0, (numel,), (1,))}}. */
    private static byte[] oneTensorPickle(int numel) {
        PickleBytes p = new PickleBytes().proto(2).emptyDict().unicode("w");
        p.global("torch._utils", "_rebuild_tensor_v2").mark();
        p.mark().unicode("storage").global("torch", "FloatStorage").unicode("0").unicode("cpu").binInt(numel).tuple()
                .binPersId();
        p.binInt(0).intTuple(numel).intTuple(1).bool(false).global("collections", "OrderedDict").emptyTuple().reduce();
        return p.tuple().reduce().setItem().stop().bytes();
    }

    @Test
    void zipBombStorageIsRefusedWithoutInflatingIt() throws Exception {
        long bytes = 256L << 20;
        Path file = zipCheckpoint("bomb-storage.pt", oneTensorPickle((int) (bytes / 4)), "archive/data/0", bytes);
        assertTrue(Files.size(file) < (1 << 20), "256 MB of zeros compress to " + Files.size(file));
        refused(ModelFormatException.class, file, "storage 0 claims 67108864 elements",
                () -> ModelFiles.readStateDict(file));
    }

    @Test
    void zipBombDataPickleIsCutOffAtItsBound() throws Exception {
        // data.pkl: an empty list, then 128 MB of (None, APPEND): 64 million list entries, 8 times the bound.
        ByteArrayOutputStream pkl = new ByteArrayOutputStream();
        pkl.write(new PickleBytes().proto(2).emptyList().bytes());
        byte[] appendNone = new byte[1 << 20];
        for (int i = 0; i < appendNone.length; i += 2) {
            appendNone[i] = 'N';
            appendNone[i + 1] = 'a';
        }
        Path file = dir.resolve("bomb-pickle.pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pkl.toByteArray());
            for (int i = 0; i < 128; i++) {
                zip.write(appendNone);
            }
            zip.write('.');
            zip.closeEntry();
        }
        assertTrue(Files.size(file) < (1 << 20), "128 MB of pickle compress to " + Files.size(file));
        refused(ModelFormatException.class, file, "archive/data.pkl inflates to more than 16 MB",
                () -> ModelFiles.readStateDict(file));
    }

    /** A list nested {@code depth} levels deep, built through the memo so the stack stays short. */
    private static byte[] nestedLists(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(depth * 6 + 16);
        out.writeBytes(new PickleBytes().proto(2).emptyList().op('q').op(0).op('0').bytes());
        byte[] level = {']', 'h', 0, 'a', 'q', 0, '0'};
        for (int i = 0; i < depth; i++) {
            out.writeBytes(level);
        }
        out.writeBytes(new byte[] {'h', 0, '.'});
        return out.toByteArray();
    }

    /** A tuple nested {@code depth} levels deep (TUPLE1 on TUPLE1 ...). */
    private static byte[] nestedTuples(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(depth + 16);
        out.writeBytes(new PickleBytes().proto(2).none().bytes());
        for (int i = 0; i < depth; i++) {
            out.write(0x85);
        }
        out.write('.');
        return out.toByteArray();
    }

    /** A dict whose only key is a list nested {@code depth} levels deep (hashing it recurses). */
    private static byte[] nestedListAsDictKey(int depth) {
        byte[] lists = nestedLists(depth);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new PickleBytes().proto(2).emptyDict().bytes());
        out.write(lists, 2, lists.length - 3);
        out.writeBytes(new PickleBytes().none().setItem().stop().bytes());
        return out.toByteArray();
    }

    @Test
    void pickleNestingAMillionLevelsIsRefusedByEveryReader() throws Exception {
        byte[][] pickles = {nestedLists(MILLION), nestedTuples(MILLION), nestedListAsDictKey(MILLION),
                new PickleBytes().proto(2).raw(new byte[MILLION]).bytes()};
        for (int i = 0; i < pickles.length; i++) {
            Path file = Files.write(dir.resolve("deep" + i + ".pkl"), pickles[i]);
            for (AllowList allow : new AllowList[] {AllowList.TORCH_CHECKPOINT, AllowList.NUMPY_ARRAYS}) {
                ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeUnpickler.load(file, allow));
                assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            }
            assertThrows(ModelFormatException.class, () -> SafeUnpickler.loadCifarBatch(file));
        }
        Path lists = Files.write(dir.resolve("deep-lists.pkl"), nestedLists(MILLION));
        refused(ModelFormatException.class, lists, "nests deeper than", () -> SafeUnpickler.load(lists,
                AllowList.TORCH_CHECKPOINT));
    }

    @Test
    void legacyCheckpointWithADeeplyNestedStorageKeyIsRefused() throws Exception {
        // The list of storage keys (the legacy format's fifth pickle) holds a list nested a million levels deep.
        byte[] keys = nestedLists(MILLION);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(legacyPrefix());
        out.writeBytes(new PickleBytes().proto(2).emptyDict().stop().bytes());
        out.writeBytes(keys);
        Path file = Files.write(dir.resolve("deep-keys.th"), out.toByteArray());
        refused(ModelFormatException.class, file, "nests deeper than", () -> ModelFiles.readStateDict(file));
    }

    @Test
    void pickleValueContainingItselfIsRefused() throws Exception {
        // a = []; b = [a]; a.append(b): printing or hashing either never ends.
        byte[] cycle = new PickleBytes().proto(2).emptyList().op('q').op(0).emptyList().op('q').op(1)
                .op('h').op(0).op('a').op('a').op('0').op('h').op(0).stop().bytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(legacyPrefix());
        out.writeBytes(new PickleBytes().proto(2).emptyDict().stop().bytes());
        out.writeBytes(cycle);
        Path file = Files.write(dir.resolve("cycle.th"), out.toByteArray());
        refused(ModelFormatException.class, file, "contains itself", () -> ModelFiles.readStateDict(file));
    }

    @Test
    void cifarLabelBeyondTheIntegerRangeIsRefused() throws Exception {
        PickleBytes p = new PickleBytes().proto(2).emptyDict().mark();
        p.str("labels").emptyList().op(0x8a).op(6).raw(new byte[] {0, 0, 0, 0, 0, 1}).op('a');
        p.str("data").uint8Array(new byte[3072], 1, 3072);
        Path file = Files.write(dir.resolve("test_batch"), p.setItems().stop().bytes());
        refused(ModelFormatException.class, file, "labels", () -> SafeUnpickler.loadCifarBatch(file));
    }

    /** A refusal of an over-long numeric literal: typed, naming the file, quoting at most a short excerpt. */
    private static void refusedLiteral(Path file, String problem, Executable read) {
        ModelFormatException e = assertThrows(ModelFormatException.class, read);
        String m = e.getMessage();
        String shown = m.length() > 300 ? m.substring(0, 300) + "... (" + m.length() + " characters)" : m;
        assertTrue(m.startsWith(file.toString()) && m.contains(problem), shown);
        assertTrue(m.length() < file.toString().length() + 200, shown);
    }

    @Test
    void millionDigitDecimalLongIsRefusedByEveryPickleReader() throws Exception {
        // before: 17.7 s (zip), 18.9 s (CIFAR batch) to parse a million-digit LONG, quadratic in the digits
        byte[] pickle = PickleBytes.decimalLiteral('L', MILLION, "L");
        Path zip = zipCheckpoint("long.pt", pickle, null, 0);
        assertTrue(Files.size(zip) < 8192, "a million digits compress to " + Files.size(zip));
        refusedLiteral(zip, "LONG literal longer than 40 characters", () -> ModelFiles.readStateDict(zip));
        ByteArrayOutputStream legacy = new ByteArrayOutputStream();
        legacy.writeBytes(pickle); // the magic number's pickle
        Path th = Files.write(dir.resolve("long.th"), legacy.toByteArray());
        refusedLiteral(th, "LONG literal longer than 40 characters", () -> ModelFiles.readStateDict(th));
        Path batch = Files.write(dir.resolve("data_batch_1"), pickle);
        refusedLiteral(batch, "LONG literal longer than 40 characters", () -> SafeUnpickler.loadCifarBatch(batch));
        refusedLiteral(batch, "LONG literal longer than 40 characters",
                () -> SafeUnpickler.load(batch, AllowList.TORCH_CHECKPOINT));
    }

    @Test
    void hugeIntAndFloatLiteralsAreRefusedAndNotEchoed() throws Exception {
        // before: a 3M-digit INT was echoed whole into the error message
        Path i = Files.write(dir.resolve("int.pkl"), PickleBytes.decimalLiteral('I', 3 * MILLION, ""));
        refusedLiteral(i, "INT literal longer than 40 characters", () -> SafeUnpickler.load(i, AllowList.NUMPY_ARRAYS));
        refusedLiteral(i, "INT literal longer than 40 characters", () -> SafeUnpickler.load(i, AllowList.TORCH_CHECKPOINT));
        Path f = Files.write(dir.resolve("float.pkl"), PickleBytes.decimalLiteral('F', MILLION, ".5"));
        refusedLiteral(f, "FLOAT literal longer than 40 characters", () -> SafeUnpickler.load(f, AllowList.NUMPY_ARRAYS));
    }

    @Test
    void binaryLongsOverSixteenBytesAreRefused() throws Exception {
        Path one = Files.write(dir.resolve("long1.pkl"), PickleBytes.binaryLong(1, 255));
        refusedLiteral(one, "LONG1 literal of 255 bytes", () -> SafeUnpickler.load(one, AllowList.TORCH_CHECKPOINT));
        Path four = Files.write(dir.resolve("long4.pkl"), PickleBytes.binaryLong(4, MILLION));
        refusedLiteral(four, "LONG4 literal of 1000000 bytes", () -> SafeUnpickler.loadCifarBatch(four));
    }

    @Test
    void literalsARealCheckpointHoldsStillRead() throws Exception {
        // the legacy format's 80-bit magic number (LONG1 of 10 bytes) and 40-character decimal literals
        assertTrue(SafeUnpickler.load(Files.write(dir.resolve("magic.pkl"), legacyPrefix()), AllowList.TORCH_CHECKPOINT)
                instanceof java.math.BigInteger);
        Path l = Files.write(dir.resolve("l.pkl"), PickleBytes.decimalLiteral('L', 39, "L"));
        assertTrue(SafeUnpickler.load(l, AllowList.TORCH_CHECKPOINT) instanceof java.math.BigInteger);
        Path i = Files.write(dir.resolve("i.pkl"), PickleBytes.decimalLiteral('I', 18, ""));
        assertTrue(SafeUnpickler.load(i, AllowList.TORCH_CHECKPOINT) instanceof Number);
    }

    @Test
    void aHugeGlobalNameIsQuotedShort() throws Exception {
        String module = "m".repeat(MILLION);
        Path g = Files.write(dir.resolve("global.pkl"), new PickleBytes().proto(2).global(module, "x").stop().bytes());
        ModelFormatException e = refused(ModelFormatException.class, g, "refused pickle global 'mmmm",
                () -> SafeUnpickler.load(g, AllowList.TORCH_CHECKPOINT));
        assertTrue(e.getMessage().contains("(1000002 characters)"), e.getMessage().length() + " characters");
        assertTrue(e.getMessage().length() < g.toString().length() + 200, e.getMessage().length() + " characters");
    }

    /** The legacy format's magic number, protocol and sys-info pickles. */
    private static byte[] legacyPrefix() {
        byte[] magic = new java.math.BigInteger("1950a86a20f9469cfc6c", 16).toByteArray();
        byte[] magicLe = new byte[10];
        for (int i = 0; i < 10; i++) {
            magicLe[i] = magic[magic.length - 1 - i];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new PickleBytes().proto(2).op(0x8a).op(10).raw(magicLe).stop().bytes());
        out.writeBytes(new PickleBytes().proto(2).binInt(1001).stop().bytes());
        out.writeBytes(new PickleBytes().proto(2).emptyDict().stop().bytes());
        return out.toByteArray();
    }

    @Test
    void gzippedIdxHeaderPromisingATerabyteIsRefusedBeforeInflating() throws Exception {
        Path labels = dir.resolve("big-labels-idx1-ubyte");
        Files.write(labels, ByteBuffer.allocate(9).putInt(0x801).putInt(1).put((byte) 0).array());
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(ByteBuffer.allocate(16).putInt(0x803).putInt(1).putInt(1 << 20).putInt(1 << 20).array());
            writeZeros(z, 1 << 20);
        }
        Path images = Files.write(dir.resolve("big-images-idx3-ubyte"), gz.toByteArray());
        refused(DatasetFormatException.class, images, "more than a gzip file of",
                () -> IdxDataset.open(images, labels).close());
    }

    /** A PNG chunk: length, type, data, CRC of type and data. */
    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void imageClaimingFourHundredMillionPixelsIsRefusedBeforeDecoding() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(20_000).putInt(20_000).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(png, "IEND", new byte[0]);
        Path image = dir.resolve("folder").resolve("cls").resolve("huge.png");
        Files.createDirectories(image.getParent());
        Files.write(image, png.toByteArray());
        try (ImageFolderDataset ds = ImageFolderDataset.open(dir.resolve("folder"), 32, 32, 3)) {
            refused(DatasetFormatException.class, image, "20000 x 20000", () -> ds.read(new int[] {0}, new float[3072]));
        }
    }
}
