package org.asrworkbench.core.train;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.Arrays;
import java.util.Random;

/**
 * Seeded initial weights for a {@link Graph}, as torchvision initialises its models: convs
 * Kaiming-normal with fan-out ({@code out_channels * k * k}, as PyTorch computes it also for grouped convs) and ReLU gain, BatchNorm weight 1 and bias 0 (running mean 0,
 * variance 1), linear layers {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))} for weight and bias,
 * conv biases 0.
 */
public final class WeightInit {
    private WeightInit() {
    }

    public static StateDict initialise(Graph graph, long seed) {
        Random rng = new Random(seed);
        StateDict sd = new StateDict();
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Op.Conv2d c) {
                long[] shape = c.weightShape();
                double fanOut = (double) c.outChannels() * c.window().kernelH() * c.window().kernelW();
                sd.put(c.weight(), normal(shape, Math.sqrt(2.0 / fanOut), rng));
                if (c.hasBias()) {
                    sd.put(c.bias(), constant(c.outChannels(), 0f));
                }
            } else if (n.op() instanceof Op.BatchNorm2d b) {
                sd.put(b.scale(), constant(b.channels(), 1f));
                sd.put(b.bias(), constant(b.channels(), 0f));
                sd.put(b.mean(), constant(b.channels(), 0f));
                sd.put(b.var(), constant(b.channels(), 1f));
            } else if (n.op() instanceof Op.Linear l) {
                double bound = 1.0 / Math.sqrt(l.inFeatures());
                sd.put(l.weight(), uniform(l.weightShape(), bound, rng));
                if (l.hasBias()) {
                    sd.put(l.bias(), uniform(new long[] {l.outFeatures()}, bound, rng));
                }
            }
        }
        return sd;
    }

    private static Tensor normal(long[] shape, double std, Random rng) {
        float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextGaussian() * std);
        }
        return new Tensor(shape, v);
    }

    private static Tensor uniform(long[] shape, double bound, Random rng) {
        float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return new Tensor(shape, v);
    }

    private static Tensor constant(int n, float value) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return new Tensor(new long[] {n}, v);
    }
}
