package org.asrworkbench.core.stats;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.tensor.StateDict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dense network's side of a {@link SequentialPass}, kept from a first pass so that further
 * passes over the same calibration images (other repair settings) run the pruned network alone.
 *
 * <p>D's statistics never depend on the repair, but the co-moment behind {@code rho} pairs D's
 * and P's pre-BN values element by element, so D's values themselves must be at hand. The
 * cache keeps, for every unit and every calibration chunk, D's per-channel chunk moments (count,
 * mean, {@code M2}) and D's <em>centred</em> pre-BN chunk {@code z_d - mean}: exactly the
 * operands the pass would recompute, so a pass that reads the cache gives bit-for-bit the
 * statistics of a pass that does not. D's other frontier tensors are not kept: with the
 * cache, D's nodes do not run at all.
 *
 * <p>The centred chunks are held like the pass's frontier: on the device up to a budget of
 * bytes, then in a temporary spill file (deleted on close). A cache is filled by the first pass
 * that gets it empty; a pass that fails while filling it leaves it empty again.
 *
 * <p>The cache belongs to one dense network, set of calibration images, chunk size and device
 * (its {@link Key}): a pass over anything else invalidates it and fills it again. A cache made
 * with {@link #DenseCache(Device, long)} owns its arrays and outlives the sessions whose passes
 * use it, so every pass of one model and calibration set (the workbench after a sparsity or
 * method change, the cells of a sweep) runs D once.
 */
public final class DenseCache implements AutoCloseable {
    private final NDManager parent;
    private final NDManager owned;
    private final long budgetBytes;
    private FrontierStore store;
    private final Map<String, List<Slot>> units = new HashMap<>();
    private Key key;
    private boolean filling;
    private int fills;

    /**
     * What a cache was filled from: the dense network (by the identity of its weights), the
     * dataset, the calibration indices, the chunk size, the device, and the nodes whose output
     * the pass measured (its units' signals: {@code --units all} measures more than {@code bn}).
     */
    record Key(StateDict dense, Path source, int[] calibration, int chunkSize, Device device, List<String> nodes) {
        boolean sameAs(Key o) {
            return dense == o.dense && source.equals(o.source) && chunkSize == o.chunkSize && device.equals(o.device)
                    && Arrays.equals(calibration, o.calibration) && nodes.equals(o.nodes);
        }

        @Override
        public String toString() {
            return calibration.length + " images of " + source + " in chunks of " + chunkSize + " on " + device;
        }
    }

    /** One unit's chunk: D's moments and its centred values. */
    private record Slot(SequentialPass.DenseChunk moments, FrontierStore.Chunk centred) {
    }

    /**
     * @param parent            the dense executor's manager (device arrays are made under it)
     * @param memoryBudgetBytes bytes of centred chunks kept on the device before spilling to disk
     */
    public DenseCache(NDManager parent, long memoryBudgetBytes) {
        this(parent, null, memoryBudgetBytes);
    }

    /**
     * A cache with arrays of its own on {@code device}, for passes of several sessions.
     *
     * @param memoryBudgetBytes bytes of centred chunks kept on the device before spilling to disk
     */
    public DenseCache(Device device, long memoryBudgetBytes) {
        this(null, Engines.newManager(device), memoryBudgetBytes);
    }

    private DenseCache(NDManager parent, NDManager owned, long memoryBudgetBytes) {
        this.owned = owned;
        this.parent = parent != null ? parent : owned;
        this.budgetBytes = memoryBudgetBytes;
        this.store = newStore();
    }

    private FrontierStore newStore() {
        return new FrontierStore(parent, budgetBytes, MemoryLimits.ofThisJvm(), "auto's dense cache");
    }

    /** True once a pass has filled the cache completely. */
    public boolean filled() {
        return key != null;
    }

    /** Bytes of centred chunks written to the spill file. */
    public long spilledBytes() {
        return store.spilledBytes();
    }

    /** Empties the cache and opens it for a pass to fill. */
    void begin() {
        clear();
        filling = true;
    }

    /** Stores one chunk of a unit's signal (by the node it reads); takes ownership of {@code centred}. */
    void put(String node, int chunk, SequentialPass.DenseChunk moments, NDArray centred) {
        if (!filling) {
            throw new IllegalStateException("the dense cache is not being filled");
        }
        List<Slot> slots = units.computeIfAbsent(node, k -> new ArrayList<>());
        if (slots.size() != chunk) {
            throw new IllegalStateException("dense cache: chunk " + chunk + " of " + node + " out of order");
        }
        slots.add(new Slot(moments, store.store(centred)));
    }

    /** Marks the cache complete for the images of {@code filledFrom}. */
    void finish(Key filledFrom) {
        if (!filling) {
            throw new IllegalStateException("the dense cache is not being filled");
        }
        filling = false;
        key = filledFrom;
        fills++;
    }

    /** How many passes filled this cache (each fill ran D once). */
    public int fills() {
        return fills;
    }

    /** True when the cache is filled from exactly this network, images, chunk size and device. */
    boolean holds(Key wanted) {
        return filled() && key.sameAs(wanted);
    }

    /** Empties the cache (a later pass fills it again); what it held no longer applies. */
    public void invalidate() {
        clear();
    }

    /** D's moments of one chunk of the signal of node {@code node}. */
    SequentialPass.DenseChunk moments(String node, int chunk) {
        return slots(node).get(chunk).moments();
    }

    /** D's centred chunk; a spilled one is loaded into {@code into}, an in-memory one stays the cache's. */
    NDArray centred(String node, int chunk, NDManager into) {
        return slots(node).get(chunk).centred().get(into);
    }

    private List<Slot> slots(String node) {
        List<Slot> s = units.get(node);
        if (s == null) {
            throw new IllegalStateException("the dense cache has no unit at node '" + node + "'");
        }
        return s;
    }

    /** Drops everything (a failed fill leaves the cache empty). */
    void clear() {
        units.clear();
        key = null;
        filling = false;
        store.close();
        store = newStore();
    }

    @Override
    public void close() {
        units.clear();
        key = null;
        store.close();
        if (owned != null) {
            owned.close();
        }
    }
}
