package org.asrworkbench.core.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.asrworkbench.core.data.BatchReader;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.RepairRules;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.UnitRepair;
import org.asrworkbench.core.tensor.StateDict;

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

    /** Chunk size (images per DJL call) and the bytes of frontier kept on the device before spilling. */
    public record Config(int chunkSize, long memoryBudgetBytes) {
        public static final Config DEFAULT = new Config(128, 2L << 30);

        public Config {
            if (chunkSize <= 0) {
                throw new IllegalArgumentException("chunk size must be positive");
            }
        }
    }

    /** The statistics of every unit, the repair plan they gave, and what the pass cost. */
    public record Result(NetworkStats stats, RepairPlan plan, double seconds, long spilledBytes) {
    }

    private final Graph graph;
    private final Executor dense;
    private final Executor pruned;
    private final StateDict bnSource;
    private final Config config;

    /**
     * @param dense    D's executor (checkpoint BatchNorm statistics)
     * @param pruned   P's executor (same graph, pruned weights)
     * @param bnSource the state dict holding the BatchNorm parameters (gamma, beta, m, v)
     */
    public SequentialPass(Executor dense, Executor pruned, StateDict bnSource, Config config) {
        this.graph = dense.graph();
        this.dense = dense;
        this.pruned = pruned;
        this.bnSource = bnSource;
        this.config = config;
    }

    public Result run(ImageDataset data, int[] calibration, Normalization norm, RepairSettings settings,
                      Progress progress) throws IOException {
        long t0 = System.nanoTime();
        Map<String, Unit> unitByLayer = new HashMap<>();
        for (Unit u : graph.units()) {
            unitByLayer.put(u.layerNode(), u);
        }
        Map<String, Integer> readers = new HashMap<>();
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) {
                readers.merge(in, 1, Integer::sum);
            }
        }
        List<UnitStats> unitStats = new ArrayList<>();
        List<UnitRepair> repairs = new ArrayList<>();
        Map<String, BnOverride> overrides = new LinkedHashMap<>();
        try (FrontierStore store = new FrontierStore(dense.manager(), config.memoryBudgetBytes())) {
            Map<String, FrontierStore.Entry> fd = new HashMap<>();
            Map<String, FrontierStore.Entry> fp = new HashMap<>();
            FrontierStore.Entry input = loadInput(store, data, calibration, norm, progress);
            fd.put(graph.input().id(), input);
            fp.put(graph.input().id(), input);
            List<Node> nodes = graph.nodes();
            int chunks = input.chunks.size();
            for (int k = 1; k < nodes.size(); k++) {
                Node n = nodes.get(k);
                progress.checkCancelled();
                Unit unit = unitByLayer.get(n.id());
                ChannelMoments moments = unit == null ? null : new ChannelMoments(unit.channels());
                BnOverride po = n.op() instanceof Op.BatchNorm2d b ? overrides.get(b.param()) : null;
                FrontierStore.Entry outD = store.newEntry();
                FrontierStore.Entry outP = store.newEntry();
                for (int c = 0; c < chunks; c++) {
                    try (NDManager m = dense.manager().newSubManager()) {
                        NDArray zd = dense.runNode(n, gather(fd, n, c, m), null);
                        NDArray zp = pruned.runNode(n, gather(fp, n, c, m), po);
                        if (moments != null) {
                            accumulate(moments, zd, zp);
                        }
                        outD.add(zd);
                        outP.add(zp);
                    }
                }
                if (unit != null) {
                    UnitStats s = unitStats(unit, moments);
                    UnitRepair r = RepairRules.decide(s, settings);
                    unitStats.add(s);
                    repairs.add(r);
                    overrides.put(unit.bn(), r.toOverride());
                }
                fd.put(n.id(), outD);
                fp.put(n.id(), outP);
                for (String in : n.inputs()) {
                    if (readers.merge(in, -1, Integer::sum) == 0) {
                        FrontierStore.Entry a = fd.remove(in);
                        FrontierStore.Entry b = fp.remove(in);
                        a.release();
                        if (b != a) {
                            b.release();
                        }
                    }
                }
                progress.update(k / (double) (nodes.size() - 1), "pass: " + n.id());
            }
            NetworkStats stats = new NetworkStats(new LinkedHashMap<>(), unitStats);
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Result(stats, new RepairPlan(settings, repairs, false), secs, store.spilledBytes());
        }
    }

    private FrontierStore.Entry loadInput(FrontierStore store, ImageDataset data, int[] idx, Normalization norm,
                                          Progress progress) throws IOException {
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

    /** Adds one chunk's centred per-channel moments, reduced on the device, to {@code m}. */
    static void accumulate(ChannelMoments m, NDArray zd, NDArray zp) {
        Shape s = zd.getShape();
        int[] axes = s.dimension() == 4 ? new int[] {0, 2, 3} : new int[] {0};
        long count = s.size() / s.get(1);
        try (NDManager t = zd.getManager().newSubManager()) {
            NDArray meanD = zd.sum(axes, true).div(count);
            NDArray meanP = zp.sum(axes, true).div(count);
            meanD.attach(t);
            meanP.attach(t);
            NDArray dd = zd.sub(meanD);
            NDArray dp = zp.sub(meanP);
            dd.attach(t);
            dp.attach(t);
            double[] m2d = toDoubles(dd.square().sum(axes), t);
            double[] m2p = toDoubles(dp.square().sum(axes), t);
            double[] co = toDoubles(dd.mul(dp).sum(axes), t);
            m.addChunk(count, toDoubles(meanD, t), m2d, toDoubles(meanP, t), m2p, co);
        }
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
        Op.BatchNorm2d bn = (Op.BatchNorm2d) graph.node(u.bnNode()).op();
        return UnitStats.of(u.name(), u.bn(), bn.eps(), bnSource.require(u.bn() + ".weight").data(),
                bnSource.require(u.bn() + ".running_mean").data(), bnSource.require(u.bn() + ".running_var").data(), m);
    }
}
