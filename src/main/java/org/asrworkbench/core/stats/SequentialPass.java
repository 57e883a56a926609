package org.asrworkbench.core.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.management.OperatingSystemMXBean;
import org.asrworkbench.core.data.BatchReader;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.tensor.StateDict;

import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequential statistics pass of the spec, computed layer-major: the frontier of the dense
 * network D and the pruned network P is advanced one node at a time over all calibration
 * chunks. At each unit the channel moments are accumulated over every chunk, the unit's repair
 * is decided, and P's BatchNorm applies it when the next node reads the stored pre-BN output.
 * Every node therefore runs once per image in D and once in P (about two forward passes),
 * and every unit's statistics already see all upstream repairs.
 */
public final class SequentialPass {

    /**
     * Chunk size (images per DJL call), the bytes of frontier kept on the device before spilling,
     * and the JVM's memory limits the chunks are checked against before they are allocated.
     */
    public record Config(int chunkSize, long memoryBudgetBytes, MemoryLimits limits) {
        public static final Config DEFAULT = new Config(128, defaultMemoryBudgetBytes());

        /**
         * The default memory budget: an eighth of the machine's physical memory, between 1 and 16 GiB
         * (2 GiB when the JVM cannot tell). A pass keeps its frontier, and {@code auto} its dense
         * cache, in memory up to this size before spilling to disk.
         */
        public static long defaultMemoryBudgetBytes() {
            long physical = ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                    ? os.getTotalMemorySize() : 0;
            return physical <= 0 ? 2L << 30 : Math.max(1L << 30, Math.min(16L << 30, physical / 8));
        }

        /** This JVM's limits. */
        public Config(int chunkSize, long memoryBudgetBytes) {
            this(chunkSize, memoryBudgetBytes, MemoryLimits.ofThisJvm());
        }

        public Config {
            if (chunkSize <= 0) {
                throw new IllegalArgumentException("chunk size must be positive");
            }
            if (limits == null) {
                throw new IllegalArgumentException("memory limits missing");
            }
        }
    }

    /** The statistics of every unit and what the pass cost. */
    public record Result(NetworkStats stats, double seconds, long spilledBytes) {
    }

    /**
     * The per-unit decision the pass applies: a unit's statistics in, the BatchNorm override that
     * repairs it out (a repair method, given by the caller; the pass knows none).
     */
    @FunctionalInterface
    public interface UnitDecision {
        BnOverride decide(UnitStats stats);
    }

    private final Graph graph;
    private final Executor dense;
    private final Executor pruned;
    private final StateDict bnSource;
    private final Config config;
    private final List<Unit> units;

    /**
     * @param dense    D's executor (checkpoint BatchNorm statistics)
     * @param pruned   P's executor (same graph, pruned weights)
     * @param bnSource the state dict holding the BatchNorm parameters (gamma, beta, m, v)
     */
    public SequentialPass(Executor dense, Executor pruned, StateDict bnSource, Config config) {
        this(dense, pruned, bnSource, config, UnitSelection.ALL);
    }

    /** A pass over the units {@code selection} picks ({@code --units all} or {@code bn}). */
    public SequentialPass(Executor dense, Executor pruned, StateDict bnSource, Config config,
                          UnitSelection selection) {
        this.graph = dense.graph();
        this.dense = dense;
        this.pruned = pruned;
        this.bnSource = bnSource;
        this.config = config;
        this.units = graph.units(selection);
    }

    /** The units this pass visits, in order. */
    public List<Unit> units() {
        return units;
    }

    public Result run(ImageDataset data, int[] calibration, Normalization norm, UnitDecision decision,
                      Progress progress) throws IOException {
        return run(data, calibration, norm, decision, progress, null);
    }

    /**
     * The pass, sharing D's side through {@code cache}: a cache that holds D's side of exactly
     * this network ({@code bnSource}, D's weights), images, chunk size and device replaces D's
     * nodes, so only P runs; any other cache is emptied and filled by this pass (and left empty
     * should the pass fail). The statistics are the same either way, bit for bit.
     *
     * @param cache null to compute D's side and keep nothing
     */
    public Result run(ImageDataset data, int[] calibration, Normalization norm, UnitDecision decision,
                      Progress progress, DenseCache cache) throws IOException {
        DenseCache.Key key = cache == null ? null : new DenseCache.Key(bnSource, data.source(), calibration.clone(),
                config.chunkSize(), dense.device(), units.stream().map(Unit::reads).distinct().toList());
        boolean reuse = cache != null && cache.holds(key);
        if (cache != null && !reuse) {
            cache.begin();
        }
        try {
            Result r = layerMajor(data, calibration, norm, decision, progress, cache, reuse);
            if (cache != null && !reuse) {
                cache.finish(key);
            }
            return r;
        } catch (IOException | RuntimeException | Error e) {
            if (cache != null && !reuse) {
                cache.clear();
            }
            throw e;
        }
    }

    private Result layerMajor(ImageDataset data, int[] calibration, Normalization norm, UnitDecision decision,
                              Progress progress, DenseCache cache, boolean reuse) throws IOException {
        long t0 = System.nanoTime();
        Map<String, Unit> virtualAt = new HashMap<>();
        Map<String, List<Unit>> bnAt = new HashMap<>();
        for (Unit u : units) {
            if (u.isVirtual()) {
                virtualAt.put(u.reads(), u);
            } else {
                bnAt.computeIfAbsent(u.reads(), k -> new ArrayList<>()).add(u);
            }
        }
        Map<String, Integer> readers = new HashMap<>();
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) {
                readers.merge(in, 1, Integer::sum);
            }
        }
        List<UnitStats> unitStats = new ArrayList<>();
        Map<String, BnOverride> overrides = new LinkedHashMap<>();
        try (FrontierStore store = new FrontierStore(dense.manager(), config.memoryBudgetBytes(), config.limits(),
                "the pass's frontier")) {
            Map<String, FrontierStore.Entry> fd = new HashMap<>();
            Map<String, FrontierStore.Entry> fp = new HashMap<>();
            FrontierStore.Entry input = loadInput(store, data, calibration, norm, progress);
            if (!reuse) {
                fd.put(graph.input().id(), input);
            }
            fp.put(graph.input().id(), input);
            List<Node> nodes = graph.nodes();
            int chunks = input.chunks.size();
            for (int k = 1; k < nodes.size(); k++) {
                Node n = nodes.get(k);
                progress.checkCancelled();
                Unit virtual = virtualAt.get(n.id());
                List<Unit> bns = bnAt.getOrDefault(n.id(), List.of());
                // the signal measured while the node runs: the virtual unit's, else that of the BNs reading it
                int measured = virtual != null ? virtual.channels() : bns.isEmpty() ? 0 : bns.get(0).channels();
                ChannelMoments moments = measured == 0 ? null : new ChannelMoments(measured);
                BnOverride po = n.op() instanceof Op.BatchNorm2d b ? overrides.get(b.param()) : null;
                FrontierStore.Entry outD = reuse ? null : store.newEntry();
                FrontierStore.Entry outP = store.newEntry();
                for (int c = 0; c < chunks; c++) {
                    try (NDManager m = dense.manager().newSubManager()) {
                        NDArray zp = pruned.runNode(n, gather(fp, n, c, m), po);
                        if (reuse) {
                            if (moments != null) {
                                accumulate(moments, cache.moments(n.id(), c), cache.centred(n.id(), c, m), zp);
                            }
                        } else {
                            NDArray zd = dense.runNode(n, gather(fd, n, c, m), null);
                            if (moments != null) {
                                DenseChunk d = denseChunk(zd, m);
                                accumulate(moments, d, d.centred(), zp);
                                if (cache != null) {
                                    cache.put(n.id(), c, d.withoutArray(), d.centred());
                                }
                            }
                            outD.add(zd);
                        }
                        outP.add(zp);
                    }
                }
                if (virtual != null) {
                    UnitStats s = UnitStats.virtual(virtual.name(), virtual.bn(), moments);
                    unitStats.add(s);
                    BnOverride o = decision.decide(s);
                    overrides.put(virtual.bn(), o);
                    moments = bns.isEmpty() ? null : new ChannelMoments(measured);
                    outP = throughVirtualBn(store, outP, o, outD, moments, cache, n, reuse);
                }
                for (Unit u : bns) {
                    UnitStats s = unitStats(u, moments);
                    unitStats.add(s);
                    overrides.put(u.bn(), decision.decide(s));
                }
                if (!reuse) {
                    fd.put(n.id(), outD);
                }
                fp.put(n.id(), outP);
                for (String in : n.inputs()) {
                    if (readers.merge(in, -1, Integer::sum) == 0) {
                        FrontierStore.Entry a = fd.remove(in);
                        FrontierStore.Entry b = fp.remove(in);
                        b.release();
                        if (a != null && a != b) {
                            a.release();
                        }
                    }
                }
                progress.update(k / (double) (nodes.size() - 1), "pass: " + n.id());
            }
            NetworkStats stats = new NetworkStats(new LinkedHashMap<>(), unitStats);
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Result(stats, secs, store.spilledBytes());
        }
    }

    /**
     * P's output of a virtual unit's layer through its decided virtual BN, chunk by chunk (each
     * stored chunk is released once transformed). When BN units read the layer too, their
     * moments ({@code moments}, else null) are accumulated on the transformed values against
     * D's, whose virtual BN is the identity.
     */
    private FrontierStore.Entry throughVirtualBn(FrontierStore store, FrontierStore.Entry outP, BnOverride o,
                                                        FrontierStore.Entry outD, ChannelMoments moments,
                                                        DenseCache cache, Node n, boolean reuse) {
        if (o == null || !o.isVirtual()) {
            throw new IllegalStateException("the decision for virtual unit '" + n.id() + "' is no virtual BN");
        }
        FrontierStore.Entry out = store.newEntry();
        for (int c = 0; c < outP.chunks.size(); c++) {
            try (NDManager m = dense.manager().newSubManager()) {
                FrontierStore.Chunk chunk = outP.chunks.get(c);
                NDArray z = chunk.get(m);
                NDArray y = Executor.applyVirtualBn(z, o);
                y.attach(m);
                if (moments != null) {
                    if (reuse) {
                        accumulate(moments, cache.moments(n.id(), c), cache.centred(n.id(), c, m), y);
                    } else {
                        DenseChunk d = denseChunk(outD.chunks.get(c).get(m), m);
                        accumulate(moments, d, d.centred(), y);
                    }
                }
                chunk.release();
                out.add(y);
            }
        }
        outP.chunks.clear();
        return out;
    }

    private FrontierStore.Entry loadInput(FrontierStore store, ImageDataset data, int[] idx, Normalization norm,
                                          Progress progress) throws IOException {
        config.limits().requireOnHeap(4L * config.chunkSize() * data.channels() * data.height() * data.width(),
                "the pass's input chunk of " + config.chunkSize() + " images");
        FrontierStore.Entry e = store.newEntry();
        new BatchReader(data, norm, config.chunkSize()).forEach(idx, batch -> e.add(dense.input(dense.manager(),
                batch.pixels(), batch.size(), data.channels(), data.height(), data.width())), progress::isCancelled);
        return e;
    }

    private static List<NDArray> gather(Map<String, FrontierStore.Entry> frontier, Node n, int chunk, NDManager m) {
        List<NDArray> ins = new ArrayList<>(n.inputs().size());
        for (String id : n.inputs()) {
            ins.add(frontier.get(id).chunks.get(chunk).get(m));
        }
        return ins;
    }

    /**
     * D's side of one unit chunk: per channel the count, mean and centred sum of squares
     * {@code M2}, reduced on the device, and the centred values {@code z_d - mean} (null once
     * handed to a {@link DenseCache}).
     */
    record DenseChunk(long count, double[] mean, double[] m2, NDArray centred) {
        DenseChunk withoutArray() {
            return new DenseChunk(count, mean, m2, null);
        }
    }

    /** D's chunk moments; the centred array is attached to {@code owner}. */
    static DenseChunk denseChunk(NDArray zd, NDManager owner) {
        Shape s = zd.getShape();
        int[] axes = reduceAxes(s);
        long count = s.size() / s.get(1);
        try (NDManager t = owner.newSubManager()) {
            NDArray sum = zd.sum(axes, true);
            sum.attach(t);
            NDArray meanD = sum.div(count);
            NDArray dd = zd.sub(meanD);
            dd.attach(owner);
            double[] m2d = toDoubles(dd.square().sum(axes), t);
            return new DenseChunk(count, toDoubles(meanD, t), m2d, dd);
        }
    }

    /**
     * Adds one chunk's centred per-channel moments, reduced on the device, to {@code m}: D's
     * from {@code d} and its centred values {@code dd}, P's from {@code zp}. Every temporary is
     * closed here, whoever owns the operands.
     */
    static void accumulate(ChannelMoments m, DenseChunk d, NDArray dd, NDArray zp) {
        int[] axes = reduceAxes(zp.getShape());
        try (NDManager t = zp.getManager().newSubManager()) {
            NDArray sum = zp.sum(axes, true);
            sum.attach(t);
            NDArray meanP = sum.div(d.count());
            NDArray dp = zp.sub(meanP);
            dp.attach(t);
            double[] m2p = toDoubles(dp.square().sum(axes), t);
            double[] co = toDoubles(dp.mul(dd).sum(axes), t);
            m.addChunk(d.count(), d.mean(), d.m2(), toDoubles(meanP, t), m2p, co);
        }
    }

    private static int[] reduceAxes(Shape s) {
        return s.dimension() == 4 ? new int[] {0, 2, 3} : new int[] {0};
    }

    private static double[] toDoubles(NDArray a, NDManager owner) {
        a.attach(owner);
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private UnitStats unitStats(Unit u, ChannelMoments m) {
        Op.BatchNorm2d bn = graph.batchNorm(u);
        return UnitStats.of(u.name(), u.bn(), bn.eps(), bnSource.require(bn.scale()).data(),
                bnSource.require(bn.bias()).data(), bnSource.require(bn.mean()).data(),
                bnSource.require(bn.var()).data(), m);
    }
}
