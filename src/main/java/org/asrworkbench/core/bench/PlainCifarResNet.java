package org.asrworkbench.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * The baseline of the forward benchmark: a CIFAR ResNet written as a plain DJL loop (no graph,
 * no taps, no overrides), calling the same operations the executor calls.
 */
public final class PlainCifarResNet implements AutoCloseable {
    private static final Shape ONE = new Shape(1, 1);
    private static final Shape TWO = new Shape(2, 2);
    private final NDManager manager;
    private final Map<String, NDArray> p = new HashMap<>();
    private final int blocks;

    public PlainCifarResNet(NDManager parent, StateDict weights, int depth) {
        this.manager = parent.newSubManager();
        this.blocks = (depth - 2) / 6;
        for (Map.Entry<String, Tensor> e : weights.asMap().entrySet()) {
            p.put(e.getKey(), manager.create(e.getValue().data(), new Shape(e.getValue().shape())));
        }
    }

    private NDArray conv(NDArray x, String name, int stride) {
        return Conv2d.conv2d(x, p.get(name + ".weight"), null, stride == 1 ? ONE : TWO, ONE, ONE, 1)
                .singletonOrThrow();
    }

    private NDArray bn(NDArray x, String name) {
        return BatchNorm.batchNorm(x, p.get(name + ".running_mean"), p.get(name + ".running_var"),
                p.get(name + ".weight"), p.get(name + ".bias"), 1, 0.1f, 1e-5f, false).singletonOrThrow();
    }

    /** Logits of one normalised batch; all temporaries are attached to the input's manager. */
    public NDArray forward(NDArray x) {
        NDArray h = Activation.relu(bn(conv(x, "conv1", 1), "bn1"));
        int in = 16;
        for (int stage = 0; stage < 3; stage++) {
            int planes = 16 << stage;
            for (int b = 0; b < blocks; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String n = "layer" + (stage + 1) + "." + b;
                NDArray o = Activation.relu(bn(conv(h, n + ".conv1", stride), n + ".bn1"));
                o = bn(conv(o, n + ".conv2", 1), n + ".bn2");
                NDArray sc = h;
                if (stride != 1 || in != planes) {
                    sc = h.get(":, :, ::2, ::2").pad(new Shape(0, 0, 0, 0, planes / 4, planes / 4), 0);
                }
                h = Activation.relu(o.add(sc));
                in = planes;
            }
        }
        Shape s = h.getShape();
        NDArray pooled = h.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        return Linear.linear(pooled, p.get("linear.weight"), p.get("linear.bias")).singletonOrThrow();
    }

    @Override
    public void close() {
        manager.close();
    }
}
