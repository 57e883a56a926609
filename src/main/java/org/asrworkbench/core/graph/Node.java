package org.asrworkbench.core.graph;

import java.util.List;

/** One node of a {@link Graph}: an id (unique, PyTorch-like path), its op and its inputs. */
public record Node(String id, Op op, List<String> inputs) {
    public Node {
        inputs = List.copyOf(inputs);
    }

    /** The PyTorch module name for parameterised ops, else null. */
    public String param() {
        if (op instanceof Op.Conv2d c) {
            return c.param();
        }
        if (op instanceof Op.BatchNorm2d b) {
            return b.param();
        }
        if (op instanceof Op.Linear l) {
            return l.param();
        }
        return null;
    }
}
