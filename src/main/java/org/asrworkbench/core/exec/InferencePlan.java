package org.asrworkbench.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Shapes;
import org.asrworkbench.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The forward pass an evaluation needs and nothing more: no taps, fixed BatchNorm settings. Built
 * once per set of settings (an evaluation, a selection score) and then run batch after batch:
 * <ul>
 *   <li>a virtual unit's BN (an override keyed by a convolution) is folded into that convolution;
 *   <li>each BatchNorm that is the only reader of a convolution is folded, with its override,
 *       into the convolution's weight and bias ({@code a_c = gamma_c gain_c / sqrt(var_c + eps)},
 *       {@code W'_c = a_c W_c}, {@code b'_c = a_c (b_c - mean_c) + beta_c}), so the BN is not run;</li>
 *   <li>activations flow channels-last (NHWC strides behind the usual NCHW shape), the layout the
 *       engine's convolution (oneDNN) runs in without reordering its input and output on every
 *       call: the NCHW layout costs two full-tensor copies per convolution;</li>
 *   <li>Identity and Dropout are aliases instead of copies, and a residual Add writes into its
 *       first input when nothing else reads that any more.</li>
 * </ul>
 * Every other node runs exactly as {@link Executor#runNode} runs it, so the logits equal
 * {@link Executor#forward}'s up to float rounding (the folding reorders a product; a test checks
 * every family). Not for training mode. Close the plan to free its folded weights.
 */
public final class InferencePlan implements AutoCloseable {
    private final Executor exec;
    private final NDManager folded;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Integer> readers = new HashMap<>();
    /** The steps without fused convolutions, for a batch whose fused result is not finite (empty when nothing is fused). */
    private final List<Step> unfused = new ArrayList<>();
    private final Map<String, Integer> unfusedReaders = new HashMap<>();
    private final String inputId;
    private final String outputId;
    private final FusedConv fusedConv;
    /** Results of the fused kernels: PyTorch inference tensors, which refuse in-place updates. */
    private final Set<String> readOnly = new HashSet<>();

    /**
     * One computation of the plan: {@code node} run on {@code inputs} (resolved ids), its result
     * stored as {@code out}. A convolution may carry a fused {@code post} (then {@code out} is the
     * id of the last node it stands for, and for an Add the second input is the Add's other operand).
     */
    private record Step(Node node, List<String> inputs, String out, NDArray weight, NDArray bias, BnOverride bn,
                        FusedConv.Post post) {
        Step(Node node, List<String> inputs, String out, NDArray weight, NDArray bias, BnOverride bn) {
            this(node, inputs, out, weight, bias, bn, null);
        }

        Step fused(FusedConv.Post p, List<String> ins, String o) {
            return new Step(node, ins, o, weight, bias, bn, p);
        }
    }

    private InferencePlan(Executor exec, Map<String, BnOverride> overrides, boolean fuse) {
        if (exec.isTraining()) {
            throw new IllegalStateException("an inference plan runs BatchNorm in evaluation mode; the executor is training");
        }
        this.exec = exec;
        this.folded = exec.manager().newSubManager();
        Graph g = exec.graph();
        Map<String, List<Node>> readersOf = new HashMap<>();
        for (Node n : g.nodes()) {
            for (String in : n.inputs()) {
                readersOf.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        Map<String, String> alias = new HashMap<>();
        Set<String> foldedBns = new HashSet<>();
        String last = g.input().id();
        try {
            for (Node n : g.nodes()) {
                last = n.id();
                if (n.op() instanceof Op.Input || foldedBns.contains(n.id())) {
                    continue;
                }
                List<String> ins = n.inputs().stream().map(id -> alias.getOrDefault(id, id)).toList();
                if (n.op() instanceof Op.Identity || n.op() instanceof Op.Dropout) {
                    alias.put(n.id(), ins.get(0));
                    continue;
                }
                List<Node> rs = readersOf.getOrDefault(n.id(), List.of());
                if (n.op() instanceof Op.Conv2d c && rs.size() == 1 && rs.get(0).op() instanceof Op.BatchNorm2d b) {
                    Node bnNode = rs.get(0);
                    foldedBns.add(bnNode.id());
                    steps.add(foldConv(n, c, b, overrides.get(b.param()), ins, bnNode.id()));
                    continue;
                }
                BnOverride o = n.param() == null ? null : overrides.get(n.param());
                if (n.op() instanceof Op.Conv2d c && o != null && o.isVirtual()) {
                    steps.add(foldVirtual(n, c, o, ins));
                    continue;
                }
                NDArray w = n.op() instanceof Op.Conv2d c ? Layout.channelsLast(exec.parameter(c.weight()), folded) : null;
                steps.add(new Step(n, ins, n.id(), w, null, o));
            }
        } catch (RuntimeException e) {
            folded.close();
            throw e;
        }
        this.inputId = g.input().id();
        this.outputId = alias.getOrDefault(last, last);
        this.fusedConv = fuse ? FusedConv.forDevice(exec.manager().getDevice()) : null;
        if (fusedConv != null) {
            List<Step> plain = List.copyOf(steps);
            fuseEpilogues(g);
            if (fusedSteps() > 0) {
                unfused.addAll(plain);
                countReaders(unfused, unfusedReaders);
            }
        }
        countReaders(steps, readers);
    }

    private static void countReaders(List<Step> list, Map<String, Integer> into) {
        for (Step s : list) {
            for (String in : s.inputs()) {
                into.merge(in, 1, Integer::sum);
            }
        }
    }

    /** The plan for {@code exec} with BatchNorm {@code overrides} by BN module name (absent: the checkpoint's). */
    public static InferencePlan of(Executor exec, Map<String, BnOverride> overrides) {
        return new InferencePlan(exec, overrides, true);
    }

    /** As {@link #of}, with every ReLU and Add run on its own (for comparisons: the benchmark). */
    public static InferencePlan unfused(Executor exec, Map<String, BnOverride> overrides) {
        return new InferencePlan(exec, overrides, false);
    }

    /**
     * Merges into each convolution step the ReLU that is the only reader of its output, or
     * the residual Add that is (when the Add's other operand is computed before the convolution,
     * has the same shape, and the Add's only reader is a ReLU) together with that ReLU, for
     * {@link FusedConv}. The network's output is never merged away.
     */
    private void fuseEpilogues(Graph g) {
        Map<String, List<Integer>> readerSteps = new HashMap<>();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            producer.put(steps.get(i).out(), i);
            for (String in : steps.get(i).inputs()) {
                readerSteps.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
            }
        }
        Map<String, long[]> shapes;
        try {
            Op.Input in = (Op.Input) g.input().op();
            shapes = Shapes.infer(g, new long[] {1, in.channels(), in.height(), in.width()});
        } catch (RuntimeException e) {
            shapes = Map.of(); // no Add is merged without shapes
        }
        Set<Integer> merged = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.weight() == null || !((Op.Conv2d) s.node().op()).window().symmetricPads()) {
                continue;
            }
            Integer r = soleReader(s.out(), readerSteps);
            if (r == null || merged.contains(r)) {
                continue;
            }
            Step reader = steps.get(r);
            Op op = reader.node().op();
            if (reader.out().equals(outputId)) {
                continue; // the network's output stays an ordinary array (the kernels' results are read-only)
            }
            if (op instanceof Op.Relu) {
                steps.set(i, s.fused(FusedConv.Post.RELU, s.inputs(), reader.out()));
                merged.add(r);
            } else if (op instanceof Op.Add && reader.inputs().size() == 2
                    && !reader.inputs().get(0).equals(reader.inputs().get(1))) {
                String other = reader.inputs().get(reader.inputs().get(0).equals(s.out()) ? 1 : 0);
                Integer made = producer.get(other);
                boolean ready = other.equals(inputId) || made != null && made < i;
                Integer relu = soleReader(reader.out(), readerSteps);
                long[] a = shapes.get(reader.node().inputs().get(0));
                long[] b = shapes.get(reader.node().inputs().get(1));
                // sizes left open (0) are checked again when the step runs
                boolean fits = a != null && b != null && Arrays.equals(a, b) && a.length == 4;
                if (ready && fits && relu != null && !steps.get(relu).out().equals(outputId)
                        && steps.get(relu).node().op() instanceof Op.Relu) {
                    steps.set(i, s.fused(FusedConv.Post.ADD_RELU, List.of(s.inputs().get(0), other),
                            steps.get(relu).out()));
                    merged.add(r);
                    merged.add(relu);
                }
            }
        }
        List<Step> kept = new ArrayList<>(steps.size() - merged.size());
        for (int i = 0; i < steps.size(); i++) {
            if (!merged.contains(i)) {
                kept.add(steps.get(i));
            }
        }
        steps.clear();
        steps.addAll(kept);
        for (Step s : steps) {
            if (s.post() != null) {
                readOnly.add(s.out());
            }
        }
    }

    /** The one step that reads {@code id}, or null (none, several, or {@code id} is the network's output). */
    private Integer soleReader(String id, Map<String, List<Integer>> readerSteps) {
        List<Integer> rs = readerSteps.getOrDefault(id, List.of());
        return rs.size() == 1 && !id.equals(outputId) ? rs.get(0) : null;
    }

    /** Convolution steps that also compute the ReLU or residual Add + ReLU after them (0 without {@link FusedConv}). */
    public int fusedSteps() {
        return (int) steps.stream().filter(s -> s.post() != null).count();
    }

    /** Convolutions with a BatchNorm folded in, of the network or a virtual unit's (for tests and the benchmark). */
    public int foldedBatchNorms() {
        return (int) steps.stream().filter(s -> s.bias() != null).count();
    }

    /** A conv whose sole reader is BatchNorm {@code b}: the BN's map with its override {@code o} folded in. */
    private Step foldConv(Node n, Op.Conv2d c, Op.BatchNorm2d b, BnOverride o, List<String> ins, String out) {
        float[] gamma = Executor.toFloats(exec.parameter(b.scale()));
        float[] beta = Executor.toFloats(exec.parameter(b.bias()));
        float[] mean = o == null ? Executor.toFloats(exec.parameter(b.mean())) : o.mean();
        float[] var = o == null ? Executor.toFloats(exec.parameter(b.var())) : o.var();
        int channels = gamma.length;
        if (mean.length != channels || var.length != channels || (o != null && o.gain().length != channels)) {
            throw new IllegalArgumentException("override for '" + b.param() + "' has " + mean.length
                    + " channels, the BatchNorm has " + channels);
        }
        double[] scale = new double[channels];
        double[] shift = new double[channels];
        for (int ch = 0; ch < channels; ch++) {
            double gain = o == null ? 1 : o.gain()[ch];
            scale[ch] = gamma[ch] * gain / Math.sqrt(var[ch] + b.eps());
            shift[ch] = beta[ch] - scale[ch] * mean[ch];
        }
        return foldAffine(n, c, scale, shift, ins, out);
    }

    /**
     * A conv with a virtual unit's BN (an override keyed by the conv): its map
     * {@code y = scale * z + shift} folded into the weight and bias, as the export folds it.
     */
    private Step foldVirtual(Node n, Op.Conv2d c, BnOverride o, List<String> ins) {
        if (o.channels() != c.outChannels()) {
            throw new IllegalArgumentException("virtual BN for '" + c.param() + "' has " + o.channels()
                    + " channels, the conv has " + c.outChannels());
        }
        double[][] a = o.affine();
        return foldAffine(n, c, a[0], a[1], ins, n.id());
    }

    /**
     * The conv followed by {@code y = scale * z + shift} per output channel, as one conv:
     * {@code W'_c = scale_c W_c}, {@code b'_c = scale_c b_c + shift_c} (a missing bias is zero).
     */
    private Step foldAffine(Node n, Op.Conv2d c, double[] scale, double[] shift, List<String> ins, String out) {
        float[] w = Executor.toFloats(exec.parameter(c.weight()));
        float[] bias = c.hasBias() ? Executor.toFloats(exec.parameter(c.bias())) : null;
        int channels = scale.length;
        int per = w.length / channels;
        float[] fw = new float[w.length];
        float[] fb = new float[channels];
        for (int ch = 0; ch < channels; ch++) {
            for (int i = ch * per; i < (ch + 1) * per; i++) {
                fw[i] = (float) (scale[ch] * w[i]);
            }
            fb[ch] = (float) (scale[ch] * (bias == null ? 0 : bias[ch]) + shift[ch]);
        }
        try (NDArray plain = folded.create(fw, exec.parameter(c.weight()).getShape())) {
            return new Step(n, ins, out, Layout.channelsLast(plain, folded), folded.create(fb), null);
        }
    }

    /**
     * Runs one batch. Every array created is attached to the input's manager; intermediates are
     * closed as soon as their last reader has run. The input is left as it is. Where a fused result
     * is not finite the batch runs again without fused steps, so that NaN and infinities come out
     * exactly as the executor's nodes make them (the fused ReLU keeps a -Inf where a ReLU gives 0).
     */
    public NDArray forward(NDArray input) {
        NDArray out = forward(input, steps, readers);
        if (!unfused.isEmpty() && Tensor.firstNonFinite(out.toFloatArray()) >= 0) {
            out.close();
            out = forward(input, unfused, unfusedReaders);
        }
        return out;
    }

    private NDArray forward(NDArray input, List<Step> plan, Map<String, Integer> planReaders) {
        Map<String, NDArray> live = new HashMap<>();
        Map<String, Integer> left = new HashMap<>(planReaders);
        NDArray x = Layout.channelsLast(input, input.getManager());
        live.put(inputId, x);
        for (Step s : plan) {
            List<NDArray> ins = new ArrayList<>(s.inputs().size());
            for (String id : s.inputs()) {
                ins.add(live.get(id));
            }
            NDArray out = run(s, ins, left);
            for (String id : s.inputs()) {
                if (left.merge(id, -1, Integer::sum) == 0) {
                    NDArray dead = live.remove(id);
                    if (dead != null && dead != input && dead != out) {
                        dead.close();
                    }
                }
            }
            live.put(s.out(), out);
        }
        NDArray out = live.remove(outputId);
        live.values().forEach(a -> {
            if (a != input && a != out) {
                a.close();
            }
        });
        return out == input ? input.duplicate() : out;
    }

    private NDArray run(Step s, List<NDArray> ins, Map<String, Integer> left) {
        if (s.weight() != null) {
            Op.Conv2d c = (Op.Conv2d) s.node().op();
            NDArray b = s.bias() != null ? s.bias() : c.hasBias() ? exec.parameter(c.bias()) : null;
            Op.Window w = c.window();
            if (s.post() != null) {
                FusedConv.Post post = s.post();
                NDArray other = null;
                if (post == FusedConv.Post.ADD_RELU) {
                    other = ins.get(1);
                    Shape in = ins.get(0).getShape();
                    Shape conv = new Shape(in.get(0), c.outChannels(), w.outH(in.get(2), false), w.outW(in.get(3), false));
                    // oneDNN cannot describe a 1 x 1 map's channels-last operand for the Add (its strides are ambiguous)
                    if (!other.getShape().equals(conv) || conv.get(2) * conv.get(3) == 1) {
                        try (NDArray y = Executor.conv2d(ins.get(0), s.weight(), b, c); NDArray sum = y.add(other)) {
                            return Activation.relu(sum); // the three operations, unfused
                        }
                    }
                    String o = s.inputs().get(1);
                    if (left.get(o) == 1 && !o.equals(inputId) && !o.equals(s.inputs().get(0))) {
                        post = FusedConv.Post.ADD_RELU_INTO; // the other operand dies here: write the sum into it
                    }
                }
                return fusedConv.run(post, ins.get(0), other, s.weight(), b, w, c.groups());
            }
            return Executor.conv2d(ins.get(0), s.weight(), b, c);
        }
        if (s.node().op() instanceof Op.Add && left.get(s.inputs().get(0)) == 1
                && !s.inputs().get(0).equals(inputId) && !readOnly.contains(s.inputs().get(0))
                && !s.inputs().get(0).equals(s.inputs().get(1))
                && ins.get(0).getShape().equals(ins.get(1).getShape())) {
            return ins.get(0).addi(ins.get(1)); // the first input dies here: write the sum into it
        }
        return exec.runNode(s.node(), ins, s.bn());
    }

    @Override
    public void close() {
        folded.close();
    }
}
