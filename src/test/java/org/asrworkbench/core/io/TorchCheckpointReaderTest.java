package org.asrworkbench.core.io;

import org.asrworkbench.core.tensor.DType;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.testing.PickleBytes;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class TorchCheckpointReaderTest {
    @TempDir
    Path dir;

    static final float[] F32_STORAGE = {1f, 1.5f, 2f, 2.5f, 3f, 3.5f, 4f, 4.5f};

    @Test
    void sharedResnet20CheckpointMatchesItsSafetensors() throws Exception {
        assertSameTensors(SharedData.resnet20Th(), SharedData.resnet20Safetensors());
    }

    @Test
    void sharedResnet56CheckpointMatchesItsSafetensors() throws Exception {
        assertSameTensors(SharedData.resnet56Th(), SharedData.resnet56Safetensors());
    }

    private static void assertSameTensors(Path th, Path safetensors) throws Exception {
        StateDict torch = TorchCheckpointReader.read(th);
        StateDict st = SafetensorsReader.read(safetensors);
        assertEquals(st.names(), torch.names());
        assertTrue(torch.names().stream().noneMatch(n -> n.startsWith("module.")));
        assertArrayEquals(new long[] {16, 3, 3, 3}, torch.require("conv1.weight").shape());
        for (String name : st.names()) {
            assertEquals(st.get(name), torch.get(name), name);
        }
        assertTrue(torch.metadata().containsKey("best_prec1"), torch.metadata().toString());
    }

    /** {@code _rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())}. */
    private static void tensorV2(PickleBytes p, String storageClass, String key, int numel, int offset,
                                 long[] size, long[] stride) {
        p.global("torch._utils", "_rebuild_tensor_v2").mark();
        p.mark().unicode("storage").global("torch", storageClass).unicode(key).unicode("cpu").binInt(numel).tuple()
                .binPersId();
        p.binInt(offset).intTuple(size).intTuple(stride).bool(false)
                .global("collections", "OrderedDict").emptyTuple().reduce();
        p.tuple().reduce();
    }

    /** A torch >= 1.6 checkpoint {'epoch': 7, 'state_dict': OrderedDict(module.* tensors)}. */
    public static byte[] zipCheckpoint() throws IOException {
        PickleBytes p = new PickleBytes().proto(2).emptyDict().mark().unicode("epoch").binInt(7);
        p.unicode("state_dict").global("collections", "OrderedDict").emptyTuple().reduce().mark();
        p.unicode("module.a.weight");
        tensorV2(p, "FloatStorage", "0", 8, 2, new long[] {2, 3}, new long[] {3, 1});
        p.unicode("module.a.transposed");
        tensorV2(p, "FloatStorage", "0", 8, 0, new long[] {3, 2}, new long[] {1, 3});
        p.unicode("module.b.half");
        tensorV2(p, "HalfStorage", "1", 3, 0, new long[] {3}, new long[] {1});
        p.unicode("module.b.bf16");
        tensorV2(p, "BFloat16Storage", "2", 2, 0, new long[] {2}, new long[] {1});
        p.unicode("module.bn.num_batches_tracked");
        tensorV2(p, "LongStorage", "3", 1, 0, new long[] {}, new long[] {});
        p.setItems();
        // The OrderedDict's instance state {'_metadata': OrderedDict()} arrives through BUILD.
        p.emptyDict().unicode("_metadata").global("collections", "OrderedDict").emptyTuple().reduce().setItem().build();
        p.setItems().stop();

        ByteBuffer f32 = le(F32_STORAGE.length * 4);
        for (float v : F32_STORAGE) {
            f32.putFloat(v);
        }
        ByteBuffer f16 = le(6).putShort((short) 0x3e00).putShort((short) 0xc000).putShort((short) 0x2e66);
        ByteBuffer bf16 = le(4).putShort((short) 0x4040).putShort((short) 0xbf00);
        ByteBuffer i64 = le(8).putLong(42);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entry(zip, "archive/data.pkl", p.bytes());
            entry(zip, "archive/byteorder", "little".getBytes());
            entry(zip, "archive/data/0", f32.array());
            entry(zip, "archive/data/1", f16.array());
            entry(zip, "archive/data/2", bf16.array());
            entry(zip, "archive/data/3", i64.array());
            entry(zip, "archive/version", "3\n".getBytes());
        }
        return bytes.toByteArray();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    @Test
    void readsAZipCheckpointBuiltToTheSpecification() throws Exception {
        Path file = Files.write(dir.resolve("model.pt"), zipCheckpoint());
        StateDict sd = TorchCheckpointReader.read(file);
        assertEquals(List.of("a.weight", "a.transposed", "b.half", "b.bf16"), List.copyOf(sd.names()));
        assertEquals(new Tensor(new long[] {2, 3}, new float[] {2f, 2.5f, 3f, 3.5f, 4f, 4.5f}), sd.get("a.weight"));
        assertEquals(new Tensor(new long[] {3, 2}, new float[] {1f, 2.5f, 1.5f, 3f, 2f, 3.5f}), sd.get("a.transposed"));
        assertArrayEquals(new float[] {1.5f, -2f, 0.0999755859375f}, sd.get("b.half").data());
        assertEquals(DType.F16, sd.get("b.half").sourceType());
        assertArrayEquals(new float[] {3f, -0.5f}, sd.get("b.bf16").data());
        assertEquals(DType.BF16, sd.get("b.bf16").sourceType());
        assertEquals("7", sd.metadata().get("epoch"));
    }

    /** A torch < 1.6 checkpoint of one CUDA tensor, written as torch.save's legacy format does. */
    public static byte[] legacyCheckpoint() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] magic = new java.math.BigInteger("1950a86a20f9469cfc6c", 16).toByteArray();
        byte[] magicLe = new byte[10];
        for (int i = 0; i < 10; i++) {
            magicLe[i] = magic[magic.length - 1 - i];
        }
        out.writeBytes(new PickleBytes().proto(2).op(0x8a).op(10).raw(magicLe).stop().bytes());
        out.writeBytes(new PickleBytes().proto(2).binInt(1001).stop().bytes());
        out.writeBytes(new PickleBytes().proto(2).emptyDict().unicode("little_endian").bool(true).setItem().stop()
                .bytes());
        PickleBytes main = new PickleBytes().proto(2).emptyDict().mark().unicode("best_prec1").binFloat(91.5);
        main.unicode("state_dict").global("collections", "OrderedDict").emptyTuple().reduce();
        main.unicode("module.fc.weight").global("torch._utils", "_rebuild_tensor").mark();
        main.mark().unicode("storage").global("torch.cuda", "FloatStorage").unicode("140").unicode("cuda:0")
                .binInt(6).none().tuple().binPersId();
        main.binInt(0).intTuple(2, 3).intTuple(3, 1).tuple().reduce().setItem().setItems().stop();
        out.writeBytes(main.bytes());
        out.writeBytes(new PickleBytes().proto(2).emptyList().mark().unicode("140").appends().stop().bytes());
        ByteBuffer data = ByteBuffer.allocate(8 + 24).order(ByteOrder.LITTLE_ENDIAN).putLong(6);
        for (int i = 0; i < 6; i++) {
            data.putFloat(i - 2.5f);
        }
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    @Test
    void readsALegacyCudaCheckpoint() throws Exception {
        Path file = Files.write(dir.resolve("legacy.th"), legacyCheckpoint());
        StateDict sd = TorchCheckpointReader.read(file);
        assertEquals(List.of("fc.weight"), List.copyOf(sd.names()));
        assertEquals(new Tensor(new long[] {2, 3}, new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}),
                sd.get("fc.weight"));
        assertEquals("91.5", sd.metadata().get("best_prec1"));
    }

    @Test
    void truncatedCheckpointsOfEitherFormatNameTheFile() throws Exception {
        for (byte[] whole : List.of(zipCheckpoint(), legacyCheckpoint())) {
            for (int cut : new int[] {whole.length - 5, whole.length / 2, 10}) {
                Path file = Files.write(dir.resolve("cut-" + cut + ".pt"), Arrays.copyOf(whole, cut));
                ModelFormatException e = assertThrows(ModelFormatException.class,
                        () -> TorchCheckpointReader.read(file));
                assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
                assertEquals(file, e.file());
            }
        }
    }

    @Test
    void storageClaimingMoreThanTheFileHoldsIsRejected() throws Exception {
        byte[] legacy = legacyCheckpoint();
        byte[] lie = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
        // The legacy storage's element count sits just before its 24 data bytes.
        System.arraycopy(lie, 0, legacy, legacy.length - 32, 8);
        Path file = Files.write(dir.resolve("lie.th"), legacy);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TorchCheckpointReader.read(file));
        assertTrue(e.getMessage().contains("storage 140"), e.getMessage());
    }

    @Test
    void corruptZipIsRejected() throws Exception {
        byte[] zip = zipCheckpoint();
        Arrays.fill(zip, zip.length - 60, zip.length, (byte) 0x55);
        Path file = Files.write(dir.resolve("corrupt.pt"), zip);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TorchCheckpointReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
