package org.asrworkbench.core.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small typed computation graph in topological order. The last node is the output.
 * Nodes are immutable; a graph never holds weights (those live in a state dict).
 */
public final class Graph {
    private final String name;
    private final List<Node> nodes;
    private final Map<String, Node> byId;
    private final Map<String, List<String>> consumers;

    public Graph(String name, List<Node> nodes) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
        this.byId = new LinkedHashMap<>();
        this.consumers = new HashMap<>();
        for (Node n : this.nodes) {
            if (byId.put(n.id(), n) != null) {
                throw new IllegalArgumentException("duplicate node id '" + n.id() + "'");
            }
            for (String in : n.inputs()) {
                if (!byId.containsKey(in)) {
                    throw new IllegalArgumentException("node '" + n.id() + "' reads '" + in
                            + "', which is not defined before it");
                }
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n.id());
            }
        }
        if (this.nodes.isEmpty() || !(this.nodes.get(0).op() instanceof Op.Input)) {
            throw new IllegalArgumentException("a graph starts with its input node");
        }
    }

    public String name() {
        return name;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(String id) {
        Node n = byId.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node '" + id + "' in " + name);
        }
        return n;
    }

    public Node input() {
        return nodes.get(0);
    }

    public Node output() {
        return nodes.get(nodes.size() - 1);
    }

    public int inputChannels() {
        return ((Op.Input) input().op()).channels();
    }

    /** The input node's shape for a batch of one, (1, C, H, W), with 0 where any size is accepted. */
    public long[] inputShape() {
        return ((Op.Input) input().op()).shape();
    }

    /** Ids of the nodes that read {@code id}, in graph order. */
    public List<String> consumers(String id) {
        return Collections.unmodifiableList(consumers.getOrDefault(id, List.of()));
    }

    /** Index of a node in topological order. */
    public int indexOf(String id) {
        return nodes.indexOf(node(id));
    }

    /** Conv and linear nodes, in graph order (the prunable layers). */
    public List<Node> weightLayers() {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.op() instanceof Op.WeightLayer) {
                out.add(n);
            }
        }
        return out;
    }

    /** The conv or linear op of a weight layer node. */
    public static Op.WeightLayer weightLayer(Node n) {
        if (n.op() instanceof Op.WeightLayer w) {
            return w;
        }
        throw new IllegalArgumentException("node '" + n.id() + "' is not a conv or linear layer");
    }

    /** Every unit, BN and virtual ({@code --units all}, the default), in the order the pass visits them. */
    public List<Unit> units() {
        return units(UnitSelection.ALL);
    }

    /**
     * The units of the spec's "Units: BatchNorm and virtual", in the order the sequential pass
     * visits them (by the node whose output they read; a virtual unit before a BN unit reading
     * the same layer). BN units: every BatchNorm, named after the conv/linear layer whose output
     * only it reads, else after the BN. Virtual units ({@code selection} ALL only): every conv or
     * linear layer whose output is not read by exactly one BN, except the {@linkplain #classifier()
     * classifier}.
     */
    public List<Unit> units(UnitSelection selection) {
        Node classifier = classifier();
        List<Unit> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.op() instanceof Op.BatchNorm2d bn) {
                String in = n.inputs().get(0);
                Node src = node(in);
                boolean named = src.op() instanceof Op.WeightLayer && consumers(in).size() == 1;
                out.add(new Unit(named ? src.param() : bn.param(), UnitKind.BN, bn.param(), named ? in : null, n.id(),
                        in, bn.channels()));
            } else if (selection.includes(UnitKind.VIRTUAL) && n.op() instanceof Op.WeightLayer w && n != classifier
                    && !readByOneBatchNorm(n)) {
                out.add(new Unit(n.param(), UnitKind.VIRTUAL, n.param(), n.id(), null, n.id(), w.outputs()));
            }
        }
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            order.put(nodes.get(i).id(), i);
        }
        out.sort(java.util.Comparator.<Unit>comparingInt(u -> order.get(u.reads()))
                .thenComparingInt(u -> u.isVirtual() ? -1 : order.get(u.bnNode())));
        return List.copyOf(out);
    }

    /** True when both selections give the same units (no layer of this graph becomes a virtual unit). */
    public boolean unitSelectionsAgree() {
        return units(UnitSelection.ALL).equals(units(UnitSelection.BN));
    }

    /**
     * The classifier: the last conv or linear layer before the network's output (in graph order),
     * left as it is by every method. Null when the graph has no weight layer.
     */
    public Node classifier() {
        Node last = null;
        for (Node n : nodes) {
            if (n.op() instanceof Op.WeightLayer) {
                last = n;
            }
        }
        return last;
    }

    private boolean readByOneBatchNorm(Node layer) {
        List<String> cs = consumers(layer.id());
        return cs.size() == 1 && node(cs.get(0)).op() instanceof Op.BatchNorm2d;
    }

    /** The unit of this name under {@code --units all}, or null. */
    public Unit unit(String name) {
        for (Unit u : units()) {
            if (u.name().equals(name)) {
                return u;
            }
        }
        return null;
    }

    /** The BatchNorm of a BN unit, with the names of its tensors. */
    public Op.BatchNorm2d batchNorm(Unit u) {
        if (u.isVirtual()) {
            throw new IllegalArgumentException("unit '" + u.name() + "' is a virtual unit: it has no BatchNorm");
        }
        return (Op.BatchNorm2d) node(u.bnNode()).op();
    }

    /** Conv/linear layers whose output is not read by exactly one BatchNorm (the classifier included). */
    public List<Node> layersWithoutBatchNorm() {
        return weightLayers().stream().filter(n -> !readByOneBatchNorm(n)).toList();
    }

    /**
     * Every tensor the graph reads from its weights and its shape, in graph order: the
     * {@code state_dict} entries of a built-in family, the initializers of an imported model.
     */
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Node n : nodes) {
            for (Op.TensorRef t : n.op().tensors()) {
                out.putIfAbsent(t.name(), t.shape());
            }
        }
        return out;
    }

    /** The names of the BatchNorm running statistics (buffers, not trainable parameters). */
    public java.util.Set<String> runningStatistics() {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Node n : nodes) {
            if (n.op() instanceof Op.BatchNorm2d b) {
                out.add(b.mean());
                out.add(b.var());
            }
        }
        return out;
    }
}
