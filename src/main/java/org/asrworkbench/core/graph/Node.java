package org.asrworkbench.core.graph;

import java.util.List;

/** One node of a {@link Graph}: an id (unique, PyTorch-like path), its op and its inputs. */
public record Node(String id, Op op, List<String> inputs) {
    public Node {
        inputs = List.copyOf(inputs);
    }

    /** The module (PyTorch) or node (ONNX) name of parameterised ops, else null. */
    public String param() {
        return op.param();
    }
}
