package org.asrworkbench.core.io;

import net.razorvine.pickle.PickleException;
import org.asrworkbench.core.io.TorchObjects.StorageRef;
import org.asrworkbench.core.io.TorchObjects.TensorRef;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.core.util.IoMessages;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads PyTorch checkpoints written by {@code torch.save} in either format, through
 * {@link SafeUnpickler} with {@link AllowList#TORCH_CHECKPOINT}:
 * <ul>
 *   <li>legacy (torch &lt; 1.6): magic-number, protocol and sys-info pickles, the main pickle, the
 *       list of storage keys, then per key an 8-byte little-endian element count and the raw data;</li>
 *   <li>zip (torch &ge; 1.6): {@code <prefix>/data.pkl} with storages at {@code <prefix>/data/<key>}.</li>
 * </ul>
 * Tensors of any supported dtype become float32 (keeping {@code sourceType}); strides and storage
 * offsets are honoured; storages saved on CUDA are read on the CPU. A top-level wrapper dict
 * ({@code state_dict}, {@code model_state_dict}, {@code model}, {@code net}) is unwrapped, its scalar
 * entries go to the metadata, a common {@code module.} prefix is stripped and
 * {@code num_batches_tracked} buffers are dropped.
 */
public final class TorchCheckpointReader {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int LEGACY_PROTOCOL = 1001;
    private static final List<String> WRAPPER_KEYS = List.of("state_dict", "model_state_dict", "model", "net");
    private static final int MAX_WRAPPER_DEPTH = 4;
    /**
     * Largest {@code data.pkl} inflated from a zip archive. It only describes the tensors (a
     * ResNet-50's takes 30 KB; a model of thousands of tensors a few MB), so anything larger is a
     * zip bomb, refused before it is unpickled in full.
     */
    static final long MAX_DATA_PKL = 16L << 20;

    private TorchCheckpointReader() {
    }

    public static StateDict read(Path file) throws ModelFormatException {
        byte[] head = ModelFiles.head(file, 4);
        if (ModelFiles.isZip(head)) {
            return readZip(file);
        }
        if (head.length > 0 && (head[0] & 0xff) == 0x80) {
            return readLegacy(file);
        }
        throw new ModelFormatException(file, "not a PyTorch checkpoint (neither a zip archive nor a pickle)");
    }

    private static StateDict readLegacy(Path file) throws ModelFormatException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            long size = Files.size(file);
            Object magic = SafeUnpickler.load(file, in, size, AllowList.TORCH_CHECKPOINT, null);
            // an integer only: a float such as 91.5071 is no magic number (and no BigInteger)
            boolean integral = magic instanceof Integer || magic instanceof Long || magic instanceof BigInteger;
            if (!integral || !LEGACY_MAGIC.equals(new BigInteger(magic.toString()))) {
                throw new ModelFormatException(file, "not a PyTorch checkpoint (legacy magic number missing)");
            }
            Object protocol = SafeUnpickler.load(file, in, size, AllowList.TORCH_CHECKPOINT, null);
            if (!(protocol instanceof Number p) || p.longValue() != LEGACY_PROTOCOL) {
                throw new ModelFormatException(file, "unsupported legacy checkpoint protocol "
                        + SafeUnpickler.describe(protocol));
            }
            Object sysInfo = SafeUnpickler.load(file, in, size, AllowList.TORCH_CHECKPOINT, null);
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new ModelFormatException(file, "big-endian checkpoints are not supported");
            }
            Map<String, StorageRef> refs = new LinkedHashMap<>();
            Object root = SafeUnpickler.load(file, in, size, AllowList.TORCH_CHECKPOINT, collector(refs));
            Object keys = SafeUnpickler.load(file, in, size, AllowList.TORCH_CHECKPOINT, null);
            if (!(keys instanceof List<?> keyList)) {
                throw new ModelFormatException(file, "legacy checkpoint has no list of storage keys");
            }
            Map<String, ByteBuffer> data = new LinkedHashMap<>();
            for (Object k : keyList) {
                StorageRef ref = k instanceof String key ? refs.get(key) : null;
                if (ref == null) {
                    throw new ModelFormatException(file, "storage key " + SafeUnpickler.describe(k)
                            + " is not used by the checkpoint");
                }
                data.put(ref.key(), readLegacyStorage(file, in, ref, size));
            }
            return assemble(file, root, data);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + IoMessages.reason(e), e);
        }
    }

    private static ByteBuffer readLegacyStorage(Path file, InputStream in, StorageRef ref, long fileSize)
            throws IOException, ModelFormatException {
        byte[] count = in.readNBytes(8);
        if (count.length < 8) {
            throw new ModelFormatException(file, "file is truncated before storage " + ref.key());
        }
        long numel = ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (numel != ref.numel()) {
            throw new ModelFormatException(file, "storage " + ref.key() + " holds " + numel
                    + " elements but the checkpoint expects " + ref.numel());
        }
        return readStorage(file, in, ref, fileSize);
    }

    private static StateDict readZip(Path file) throws ModelFormatException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            long size = Files.size(file);
            String prefix = dataPklPrefix(file, zip);
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null && !"little".equals(readText(zip, order))) {
                throw new ModelFormatException(file, "big-endian checkpoints are not supported");
            }
            Map<String, StorageRef> refs = new LinkedHashMap<>();
            Object root;
            ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
            if (pkl.getSize() > MAX_DATA_PKL) {
                throw new ModelFormatException(file, dataPklTooLarge(prefix));
            }
            try (BoundedInputStream bounded = new BoundedInputStream(zip.getInputStream(pkl), MAX_DATA_PKL);
                 InputStream in = new BufferedInputStream(bounded)) {
                try {
                    root = SafeUnpickler.load(file, in, size, AllowList.TORCH_CHECKPOINT, collector(refs));
                } catch (ModelFormatException e) {
                    throw bounded.exceeded() ? new ModelFormatException(file, dataPklTooLarge(prefix)) : e;
                }
            }
            Map<String, ByteBuffer> data = new LinkedHashMap<>();
            for (StorageRef ref : refs.values()) {
                ZipEntry entry = zip.getEntry(prefix + "data/" + ref.key());
                if (entry == null) {
                    throw new ModelFormatException(file, "storage " + ref.key() + " is missing from the archive");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    data.put(ref.key(), readStorage(file, in, ref, size));
                }
            }
            return assemble(file, root, data);
        } catch (ZipException e) {
            throw new ModelFormatException(file, "corrupt zip archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + IoMessages.reason(e), e);
        }
    }

    private static String dataPklTooLarge(String prefix) {
        return prefix + "data.pkl inflates to more than " + (MAX_DATA_PKL >> 20)
                + " MB (a zip bomb, not a checkpoint)";
    }

    /** Ends the stream (as a truncated file) after {@code limit} bytes, and says whether it did. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long left;
        private boolean exceeded;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        boolean exceeded() {
            return exceeded;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                exceeded = exceeded || super.read() >= 0;
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return super.skip(Math.min(n, left));
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** The {@code <prefix>/} of the archive's single {@code <prefix>/data.pkl}. */
    private static String dataPklPrefix(Path file, ZipFile zip) throws ModelFormatException {
        String found = null;
        for (String name : zip.stream().map(ZipEntry::getName).toList()) {
            if (name.endsWith("data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                if (found != null) {
                    throw new ModelFormatException(file, "archive holds more than one data.pkl");
                }
                found = name.substring(0, name.length() - "data.pkl".length());
            }
        }
        if (found == null) {
            throw new ModelFormatException(file, "zip archive is not a PyTorch checkpoint (no <prefix>/data.pkl)");
        }
        return found;
    }

    private static String readText(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readNBytes(64), StandardCharsets.US_ASCII).trim();
        }
    }

    private static ByteBuffer readStorage(Path file, InputStream in, StorageRef ref, long fileSize)
            throws IOException, ModelFormatException {
        long bytes = ref.numel() * ref.type().dtype().bytes();
        if (bytes > fileSize || ref.numel() > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(file, "storage " + ref.key() + " claims " + ref.numel()
                    + " elements, more than the file holds");
        }
        byte[] raw = in.readNBytes((int) bytes);
        if (raw.length < bytes) {
            throw new ModelFormatException(file, "storage " + ref.key() + " is truncated (" + raw.length + " of "
                    + bytes + " bytes)");
        }
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Records each storage persistent id (one ref per key) and hands the ref to the unpickler. */
    private static Function<Object, Object> collector(Map<String, StorageRef> refs) {
        return pid -> {
            StorageRef ref = StorageRef.parse(pid);
            StorageRef known = refs.putIfAbsent(ref.key(), ref);
            if (known != null && (known.numel() != ref.numel() || !known.type().equals(ref.type()))) {
                throw new PickleException("storage " + ref.key() + " is described inconsistently");
            }
            return ref;
        };
    }

    private static StateDict assemble(Path file, Object root, Map<String, ByteBuffer> data) throws ModelFormatException {
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<?, ?> dict = unwrap(file, root, metadata);
        Map<String, float[]> decoded = new LinkedHashMap<>();
        StateDict sd = new StateDict();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getValue() instanceof TensorRef ref)) {
                continue;
            }
            if (!(e.getKey() instanceof String name)) {
                throw new ModelFormatException(file, "state dict key " + SafeUnpickler.describe(e.getKey())
                        + " is not a string");
            }
            if (name.endsWith("num_batches_tracked")) {
                continue;
            }
            StorageRef storage = ref.storage();
            ByteBuffer raw = data.get(storage.key());
            if (raw == null) {
                throw new ModelFormatException(file, "tensor '" + name + "' uses storage " + storage.key()
                        + " whose data the file does not contain");
            }
            float[] values = decoded.computeIfAbsent(storage.key(), k ->
                    TensorDecoding.decode(raw.duplicate().order(ByteOrder.LITTLE_ENDIAN), storage.type().dtype(),
                            (int) storage.numel()));
            sd.put(name, new Tensor(ref.size(), gather(file, name, values, ref), storage.type().dtype()));
        }
        if (sd.size() == 0) {
            throw new ModelFormatException(file, "checkpoint contains no tensors");
        }
        sd.metadata().putAll(metadata);
        return sd.stripCommonPrefix("module.");
    }

    /** Descends through wrapper dicts; their scalar entries become metadata. */
    private static Map<?, ?> unwrap(Path file, Object root, Map<String, String> metadata) throws ModelFormatException {
        Object current = root;
        for (int depth = 0; depth < MAX_WRAPPER_DEPTH; depth++) {
            if (!(current instanceof Map<?, ?> map)) {
                throw new ModelFormatException(file, "checkpoint is not a dict of tensors");
            }
            if (map.values().stream().anyMatch(v -> v instanceof TensorRef)) {
                return map;
            }
            Object inner = WRAPPER_KEYS.stream().map(map::get).filter(v -> v instanceof Map).findFirst().orElse(null);
            if (inner == null) {
                return map;
            }
            map.forEach((k, v) -> {
                if (k instanceof String key && (v instanceof Number || v instanceof String || v instanceof Boolean)) {
                    metadata.put(key, String.valueOf(v));
                }
            });
            current = inner;
        }
        throw new ModelFormatException(file, "checkpoint wrappers nest too deeply");
    }

    /** Copies a strided view of {@code storage} into a dense row-major array. */
    private static float[] gather(Path file, String name, float[] storage, TensorRef ref) throws ModelFormatException {
        long[] size = ref.size();
        long[] stride = ref.stride();
        long start = ref.offset() + ref.storage().viewOffset();
        long numel;
        long last = start;
        try {
            numel = Tensor.numel(size);
            for (int d = 0; d < size.length && numel > 0; d++) {
                last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
            }
        } catch (ArithmeticException e) {
            throw new ModelFormatException(file, "tensor '" + name + "' has an invalid size");
        }
        if (numel > Integer.MAX_VALUE - 8 || (numel > 0 && last >= storage.length)) {
            throw new ModelFormatException(file, "tensor '" + name + "' of size " + Arrays.toString(size)
                    + " reads past the end of its storage (" + storage.length + " elements)");
        }
        float[] out = new float[(int) numel];
        long[] index = new long[size.length];
        long pos = start;
        for (int i = 0; i < out.length; i++) {
            out[i] = storage[(int) pos];
            for (int d = size.length - 1; d >= 0; d--) {
                if (++index[d] < size[d]) {
                    pos += stride[d];
                    break;
                }
                pos -= (size[d] - 1) * stride[d];
                index[d] = 0;
            }
        }
        return out;
    }
}
