package org.asrworkbench.core.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fluent construction of a {@link Graph}: each call appends a node reading the current
 * node (or named inputs) and makes it current. Ids of parameterised nodes are their PyTorch
 * module names; other nodes get {@code scope + "." + kind + counter} ids.
 */
public final class GraphBuilder {
    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private String current;
    private int counter;

    public GraphBuilder(String name, int inputChannels) {
        this.name = name;
        nodes.add(new Node("input", new Op.Input(inputChannels), List.of()));
        current = "input";
    }

    public String current() {
        return current;
    }

    public GraphBuilder at(String id) {
        current = id;
        return this;
    }

    /** Appends a node reading the current node. */
    public String add(String id, Op op) {
        return addFrom(id, op, current);
    }

    /** Appends a node reading the given inputs, and makes it current. */
    public String addFrom(String id, Op op, String... inputs) {
        String nid = id != null ? id : autoId(op);
        nodes.add(new Node(nid, op, Arrays.asList(inputs)));
        current = nid;
        return nid;
    }

    private String autoId(Op op) {
        return op.getClass().getSimpleName().toLowerCase() + "_" + (counter++);
    }

    public String conv(String param, int in, int out, int k, int stride, int pad, int groups, boolean bias) {
        return add(param, new Op.Conv2d(param, in, out, k, stride, pad, 1, groups, bias));
    }

    public String bn(String param, int ch) {
        return add(param, new Op.BatchNorm2d(param, ch, 1e-5));
    }

    public String relu() {
        return add(null, new Op.Relu());
    }

    public String relu6() {
        return add(null, new Op.Relu6());
    }

    public String linear(String param, int in, int out, boolean bias) {
        return add(param, new Op.Linear(param, in, out, bias));
    }

    public Graph build() {
        return new Graph(name, nodes);
    }
}
