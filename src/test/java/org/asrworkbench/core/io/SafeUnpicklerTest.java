package org.asrworkbench.core.io;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Unpickler;
import org.asrworkbench.testing.PickleBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeUnpicklerTest {
    @TempDir
    Path dir;

    /** Gives the test access to Pyrolite's global constructor registry to remove what it registered. */
    private static final class Registry extends Unpickler {
        static void remove(String qualifiedName) {
            objectConstructors.remove(qualifiedName);
        }
    }

    private static byte[] callPickle(String module, String name, String argument) {
        return new PickleBytes().proto(2).global(module, name).mark().unicode(argument).tuple().reduce().stop().bytes();
    }

    @ParameterizedTest
    @CsvSource({"os,system", "posix,system", "builtins,eval", "subprocess,Popen"})
    void refusesDangerousGlobalsBeforeConstructingAnything(String module, String name) throws Exception {
        Path marker = dir.resolve("pwned");
        byte[] pickle = callPickle(module, name, "touch " + marker);
        Path file = Files.write(dir.resolve("evil.pkl"), pickle);
        AtomicInteger constructed = new AtomicInteger();
        IObjectConstructor spy = args -> {
            constructed.incrementAndGet();
            return "constructed";
        };
        Unpickler.registerConstructor(module, name, spy);
        try {
            // Pyrolite on its own would call whatever is registered for the global: the spy sees it.
            assertEquals("constructed", new Unpickler().loads(pickle));
            assertEquals(1, constructed.get());

            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> SafeUnpickler.load(file, AllowList.TORCH_CHECKPOINT));
            assertTrue(e.getMessage().contains(module + "." + name), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertEquals(1, constructed.get(), "the safe unpickler must not construct a refused global");
            assertFalse(Files.exists(marker));
        } finally {
            Registry.remove(module + "." + name);
        }
    }

    @Test
    void refusesStackGlobalAndNumpyUnderTheTorchList() throws Exception {
        byte[] stackGlobal = new PickleBytes().proto(4).unicode("os").unicode("system").op(0x93)
                .mark().unicode("true").tuple().reduce().stop().bytes();
        Path f1 = Files.write(dir.resolve("stack.pkl"), stackGlobal);
        assertTrue(assertThrows(ModelFormatException.class, () -> SafeUnpickler.load(f1, AllowList.TORCH_CHECKPOINT))
                .getMessage().contains("'os.system'"));

        Path f2 = Files.write(dir.resolve("np.pkl"), cifarBatch(2));
        assertTrue(assertThrows(ModelFormatException.class, () -> SafeUnpickler.load(f2, AllowList.TORCH_CHECKPOINT))
                .getMessage().contains("numpy.core.multiarray._reconstruct"));
    }

    @Test
    void refusesReduceOnValuesThatAreNotAllowedCallables() throws Exception {
        byte[] pickle = new PickleBytes().proto(2).unicode("not callable").emptyTuple().reduce().stop().bytes();
        Path file = Files.write(dir.resolve("call.pkl"), pickle);
        assertTrue(assertThrows(ModelFormatException.class, () -> SafeUnpickler.load(file, AllowList.NUMPY_ARRAYS))
                .getMessage().contains("refused call"));
    }

    @Test
    void deeplyNestedPickleFailsQuickly() throws Exception {
        int levels = 1_000_000;
        PickleBytes p = new PickleBytes().proto(2);
        for (int i = 0; i < levels; i++) {
            p.mark().emptyList();
        }
        for (int i = 0; i < levels; i++) {
            p.appends();
        }
        Path file = Files.write(dir.resolve("deep.pkl"), p.stop().bytes());
        ModelFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ModelFormatException.class, () -> SafeUnpickler.load(file, AllowList.NUMPY_ARRAYS)));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void hugeLengthClaimsAreRejectedWithoutAllocating() throws Exception {
        byte[] pickle = new PickleBytes().proto(4).op(0x8e).raw(PickleBytes.le(8, 1L << 40)).stop().bytes();
        Path file = Files.write(dir.resolve("huge.pkl"), pickle);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SafeUnpickler.load(file, AllowList.NUMPY_ARRAYS));
        assertTrue(e.getMessage().contains("claims"), e.getMessage());
    }

    @Test
    void truncatedPickleNamesTheFile() throws Exception {
        byte[] whole = cifarBatch(2);
        Path file = Files.write(dir.resolve("cut.pkl"), Arrays.copyOf(whole, whole.length / 2));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeUnpickler.loadCifarBatch(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void readsATinyCifarBatch() throws Exception {
        Path file = Files.write(dir.resolve("data_batch_1"), cifarBatch(2));
        Map<String, Object> batch = SafeUnpickler.loadCifarBatch(file);
        NumpyArray data = (NumpyArray) batch.get("data");
        assertArrayEquals(new long[] {2, 3072}, data.shape());
        assertEquals("uint8", data.dtype());
        assertArrayEquals(pixels(2), data.uint8());
        assertEquals(List.of(3, 9), batch.get("labels"));
        assertEquals(List.of(41, 99), batch.get("fine_labels"));
        assertEquals("training batch 1 of 5", batch.get("batch_label"));
    }

    private static byte[] pixels(int images) {
        byte[] px = new byte[images * 3072];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        return px;
    }

    /**
     * A CIFAR python batch as Python 2's cPickle (protocol 2) writes it: str keys and raw data as
     * BINSTRING, labels as a list; fine labels here are numpy int64 scalars (BINBYTES data).
     */
    static byte[] cifarBatch(int images) {
        PickleBytes p = new PickleBytes().proto(2).emptyDict().mark();
        p.str("data").uint8Array(pixels(images), images, 3072);
        p.str("labels").intList(3, 9);
        p.str("fine_labels").emptyList().mark();
        for (long v : new long[] {41, 99}) {
            p.global("numpy.core.multiarray", "scalar").mark().numpyDtype("i8", "<");
            p.binBytes(PickleBytes.le(8, v)).tuple().reduce();
        }
        p.appends();
        p.binString("batch_label".getBytes()).binString("training batch 1 of 5".getBytes());
        return p.setItems().stop().bytes();
    }
}
