package org.asrworkbench.core.prune;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a graph ranked once for one pruning kind and its exclusions (the rules are in
 * {@link Pruner}): the unstructured kinds keep the prunable weights in the stable order by
 * {@code |w|} (ties: layers in graph order, then row-major), so the pruned weights of any
 * sparsity are a prefix of that order; {@code filter-l1} keeps the candidate filters sorted by
 * mean {@code |w|}. {@link #masks(double)} then costs one pass over the weights and no sort,
 * which lets the workbench follow the sparsity slider. Immutable, safe to share between threads.
 */
public final class PruneRanking {
    private final PruneSettings settings;
    private final StateDict dense;
    private final List<Layer> layers;
    private final List<Layer> prunable;
    /** Unstructured kinds: per group (all prunable layers, or each one alone), its weights in ranked order. */
    private final List<int[]> order = new ArrayList<>();
    /** filter-l1: the candidate filters by ascending score (ties: graph order, then index). */
    private final List<Filter> filters = new ArrayList<>();

    /** A conv or linear weight, its dense values and whether the criterion may prune it. */
    private record Layer(String name, String weightName, float[] values, long outputs, boolean prunable) {
        int size() {
            return values.length;
        }

        int filterSize() {
            return (int) (values.length / outputs);
        }
    }

    private record Filter(int layer, int index, double score) {
    }

    PruneRanking(Graph graph, StateDict dense, PruneSettings s) {
        this.settings = s;
        this.dense = dense;
        this.layers = layers(graph, dense, s);
        this.prunable = layers.stream().filter(Layer::prunable).toList();
        switch (s.kind()) {
            case GLOBAL_MAGNITUDE -> order.add(rank(prunable));
            case LAYER_UNIFORM -> prunable.forEach(l -> order.add(rank(List.of(l))));
            case FILTER_L1 -> rankFilters();
        }
    }

    /** The kind and exclusions of this ranking (with the sparsity it was asked with). */
    public PruneSettings settings() {
        return settings;
    }

    /** Prunes at {@code sparsity}: a pruned copy of the dense weights, the masks and the achieved sparsities. */
    public PruneResult prune(double sparsity) {
        PruneSettings s = new PruneSettings(settings.kind(), sparsity, settings.excludeFirstConv(),
                settings.excludeClassifier());
        Map<String, boolean[]> masks = masks(sparsity);
        StateDict pruned = dense.copy();
        for (Layer l : layers) {
            boolean[] keep = masks.get(l.weightName());
            float[] w = pruned.require(l.weightName()).data();
            for (int i = 0; i < keep.length; i++) {
                if (!keep[i]) {
                    w[i] = 0f;
                }
            }
        }
        List<LayerSparsity> perLayer = perLayer(masks);
        long totalPrunable = perLayer.stream().mapToLong(LayerSparsity::prunable).sum();
        long totalPruned = perLayer.stream().mapToLong(LayerSparsity::pruned).sum();
        double achieved = totalPrunable == 0 ? 0.0 : (double) totalPruned / totalPrunable;
        return new PruneResult(s, pruned, masks, sparsity, achieved, perLayer);
    }

    /** Pruned and prunable weights of every conv and linear layer (graph order) under {@code masks} of this ranking. */
    public List<LayerSparsity> perLayer(Map<String, boolean[]> masks) {
        List<LayerSparsity> perLayer = new ArrayList<>(layers.size());
        for (Layer l : layers) {
            long removed = 0;
            for (boolean k : masks.get(l.weightName())) {
                if (!k) {
                    removed++;
                }
            }
            perLayer.add(new LayerSparsity(l.name(), l.prunable() ? l.size() : 0, removed));
        }
        return perLayer;
    }

    /**
     * The keep flags of every conv and linear weight ({@code "<layer>.weight"}, graph order) at
     * {@code sparsity}, exactly those of {@link Pruner#prune}; fresh arrays the caller may keep.
     */
    public Map<String, boolean[]> masks(double sparsity) {
        if (!(sparsity >= 0 && sparsity <= 1)) {
            throw new IllegalArgumentException("sparsity must lie in [0, 1], not " + sparsity);
        }
        Map<String, boolean[]> masks = new LinkedHashMap<>();
        for (Layer l : layers) {
            boolean[] keep = new boolean[l.size()];
            Arrays.fill(keep, true);
            masks.put(l.weightName(), keep);
        }
        if (settings.kind() == PruneKind.FILTER_L1) {
            pruneFilters(sparsity, masks);
            return masks;
        }
        List<List<Layer>> groups = settings.kind() == PruneKind.GLOBAL_MAGNITUDE ? List.of(prunable)
                : prunable.stream().map(List::of).toList();
        for (int g = 0; g < groups.size(); g++) {
            List<Layer> group = groups.get(g);
            int[] ranked = order.get(g);
            long k = Pruner.targetCount(sparsity, ranked.length);
            boolean[] keep = new boolean[ranked.length];
            Arrays.fill(keep, true);
            for (int i = 0; i < k; i++) {
                keep[ranked[i]] = false;
            }
            int start = 0;
            for (Layer l : group) {
                System.arraycopy(keep, start, masks.get(l.weightName()), 0, l.size());
                start += l.size();
            }
        }
        return masks;
    }

    private static List<Layer> layers(Graph graph, StateDict dense, PruneSettings s) {
        List<Node> weightLayers = graph.weightLayers();
        Node firstConv = weightLayers.stream().filter(n -> n.op() instanceof Op.Conv2d).findFirst().orElse(null);
        Node classifier = weightLayers.isEmpty() ? null : weightLayers.get(weightLayers.size() - 1);
        boolean structured = s.kind() == PruneKind.FILTER_L1;
        List<Layer> out = new ArrayList<>(weightLayers.size());
        for (Node n : weightLayers) {
            Op.WeightLayer op = Graph.weightLayer(n);
            String weightName = op.weight();
            Tensor t = dense.require(weightName);
            long[] expected = op.weightShape();
            if (!t.sameShape(expected)) {
                throw new IllegalArgumentException("'" + weightName + "' has shape " + t.shapeString()
                        + ", the graph expects " + Arrays.toString(expected));
            }
            int bad = t.firstNonFinite();
            if (bad >= 0) {
                throw new IllegalArgumentException("'" + weightName + "' holds a non-finite value at index " + bad);
            }
            boolean prunable;
            if (structured) {
                prunable = n.op() instanceof Op.Conv2d && n != firstConv && n != classifier;
            } else {
                prunable = !(s.excludeFirstConv() && n == firstConv) && !(s.excludeClassifier() && n == classifier);
            }
            out.add(new Layer(n.param(), weightName, t.data(), op.outputs(), prunable));
        }
        return out;
    }

    /**
     * The group's weights (flat index over its layers in order) sorted by {@code |w|}, ties by
     * flat index: the order in which the unstructured kinds prune. The first {@code k} of it are
     * exactly the weights below the k-th smallest magnitude plus the earliest ties at it.
     */
    private static int[] rank(List<Layer> group) {
        long n = group.stream().mapToLong(Layer::size).sum();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many weights to rank at once: " + n);
        }
        // |w| >= 0, so its float bits order like the value; the low half breaks ties by position
        long[] keys = new long[(int) n];
        int pos = 0;
        for (Layer l : group) {
            for (float v : l.values()) {
                keys[pos] = ((long) Float.floatToIntBits(Math.abs(v)) << 32) | pos;
                pos++;
            }
        }
        Arrays.sort(keys);
        int[] ranked = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            ranked[i] = (int) keys[i];
        }
        return ranked;
    }

    private void rankFilters() {
        for (int li = 0; li < prunable.size(); li++) {
            Layer l = prunable.get(li);
            int size = l.filterSize();
            for (int f = 0; f < l.outputs(); f++) {
                double sum = 0;
                for (int i = f * size; i < (f + 1) * size; i++) {
                    sum += Math.abs(l.values()[i]);
                }
                filters.add(new Filter(li, f, sum / size));
            }
        }
        filters.sort(Comparator.comparingDouble(Filter::score)); // stable: graph order, then index
    }

    /** Removes whole output filters by ascending mean |w| until round(s * n) weights are pruned. */
    private void pruneFilters(double sparsity, Map<String, boolean[]> masks) {
        long n = prunable.stream().mapToLong(Layer::size).sum();
        long target = Pruner.targetCount(sparsity, n);
        int[] left = new int[prunable.size()];
        for (int li = 0; li < prunable.size(); li++) {
            left[li] = (int) prunable.get(li).outputs();
        }
        long pruned = 0;
        for (Filter f : filters) {
            if (pruned >= target) {
                break;
            }
            if (left[f.layer()] == 1) {
                continue;
            }
            Layer l = prunable.get(f.layer());
            int size = l.filterSize();
            Arrays.fill(masks.get(l.weightName()), f.index() * size, (f.index() + 1) * size, false);
            left[f.layer()]--;
            pruned += size;
        }
    }
}
