package org.asrworkbench.core.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Shapes;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.core.util.IoMessages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Imports an ONNX model (opsets {@value #MIN_OPSET} to {@value #MAX_OPSET}) into a {@link Graph}
 * and its weights, keyed by the initializer names. Computations on constants alone, and the
 * shape computations PyTorch writes ({@code Shape -> Gather -> Unsqueeze -> Concat -> Reshape}),
 * are folded at import for the model's input shape; the batch size stays free. An op or pattern
 * it cannot run is reported, with every other one, in one error naming the file.
 *
 * <p>Limits: the file at most 2 GiB (larger weights go in external data), protobuf nesting at
 * most {@value #RECURSION_LIMIT}, at most {@value #MAX_NODES} nodes (counted before the graph is
 * parsed), every tensor's claims checked ({@link OnnxTensors}).
 */
public final class OnnxImporter {
    public static final int MIN_OPSET = 11;
    public static final int MAX_OPSET = 18;
    public static final int MAX_NODES = 100_000;
    static final int RECURSION_LIMIT = 64;
    /** The largest input height, width or channel count accepted. */
    static final long MAX_INPUT_DIM = 1 << 14;

    /** What the import gives: the graph, its weights and the facts of the file for the model card. */
    public record Imported(Graph graph, StateDict weights, int opset, String producer, long irVersion,
                           Map<String, Integer> census) {
    }

    /** The ONNX op types the importer translates or folds (the list in docs/onnx.md). */
    public static final Set<String> SUPPORTED = Set.of("Conv", "BatchNormalization", "Relu", "Clip", "LeakyRelu",
            "Sigmoid", "HardSigmoid", "HardSwish", "Mul", "Add", "Sub", "Div", "Concat", "Split", "MaxPool",
            "AveragePool", "GlobalAveragePool", "ReduceMean", "Gemm", "MatMul", "Flatten", "Reshape", "Transpose",
            "Slice", "Pad", "Identity", "Dropout", "Softmax", "Constant", "ConstantOfShape", "Shape", "Gather",
            "Unsqueeze", "Squeeze", "Cast");

    /** A value computed by a graph node: the node's id and the value's shape for a batch of one. */
    private record Dyn(String node, long[] shape) {
    }

    /** The outputs of a node that could not be imported (already reported). */
    private static final Object UNKNOWN = new Object();

    private final Path file;
    private final OnnxTensors tensors;
    private int opset;
    private final Map<String, Object> values = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private final StateDict weights = new StateDict();
    private final List<String> unsupported = new ArrayList<>();
    private final Map<String, Integer> census = new TreeMap<>();

    private OnnxImporter(Path file) {
        this.file = file;
        this.tensors = new OnnxTensors(file);
    }

    public static Imported read(Path file) throws ModelFormatException {
        return new OnnxImporter(file).run();
    }

    /** The file's model, parsed with the importer's limits and checks (for the exporter, which keeps the graph). */
    static OnnxMl.ModelProto parseModel(Path file) throws ModelFormatException {
        return new OnnxImporter(file).parse();
    }

    private ModelFormatException bad(String problem) {
        return new ModelFormatException(file, problem);
    }

    private Imported run() throws ModelFormatException {
        OnnxMl.ModelProto model = parse();
        opset = -1;
        for (OnnxMl.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) Math.min(Integer.MAX_VALUE, o.getVersion());
            }
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw bad(opset < 0 ? "no opset for the default ONNX domain" : "opset " + opset
                    + " is not supported (opsets " + MIN_OPSET + " to " + MAX_OPSET + " are); re-export with"
                    + " torch.onnx.export(..., opset_version=" + Math.max(MIN_OPSET, Math.min(MAX_OPSET, opset)) + ")");
        }
        OnnxMl.GraphProto g = model.getGraph();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            values.put(t.getName(), tensors.read(t));
        }
        Node input = input(g);
        nodes.add(input);
        noteReaders(g);
        for (int i = 0; i < g.getNodeCount(); i++) {
            node(g.getNode(i), i);
        }
        if (!unsupported.isEmpty()) {
            throw bad(unsupported.size() + " node(s) cannot be imported:\n  " + String.join("\n  ", unsupported));
        }
        if (g.getOutputCount() != 1) {
            throw bad("the graph has " + g.getOutputCount() + " outputs; one (the logits) is supported");
        }
        Object out = values.get(g.getOutput(0).getName());
        if (!(out instanceof Dyn d)) {
            throw bad("the graph output '" + g.getOutput(0).getName() + "' is "
                    + (out == null ? "not computed by any node" : "a constant"));
        }
        List<Node> live = live(d.node());
        String name = g.getName().isBlank() ? stem(file) : g.getName();
        Graph graph;
        try {
            graph = new Graph(name, live);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        StateDict used = new StateDict();
        for (String t : graph.parameterShapes().keySet()) {
            used.put(t, weights.require(t));
        }
        return new Imported(graph, used, opset, (model.getProducerName() + " " + model.getProducerVersion()).trim(),
                model.getIrVersion(), census);
    }

    static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Parses the file with protobuf's limits, after counting its nodes without building them. */
    private OnnxMl.ModelProto parse() throws ModelFormatException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) {
                throw bad("the file is larger than 2 GiB; store the weights as external data"
                        + " (torch.onnx.export writes them so for large models)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + IoMessages.reason(e), e);
        }
        if (bytes.length == 0) {
            throw bad("file is empty");
        }
        try {
            int count = countNodes(bytes);
            if (count > MAX_NODES) {
                throw bad("the graph has " + count + " nodes, more than the " + MAX_NODES + " the importer accepts");
            }
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(RECURSION_LIMIT);
            in.setSizeLimit(bytes.length);
            OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(in);
            if (!m.hasGraph()) {
                throw bad("not an ONNX model: no graph");
            }
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(file, "not a valid ONNX file (truncated or corrupt protobuf: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + IoMessages.reason(e), e);
        }
    }

    /** The number of {@code node} entries of the model's graph (field 7, then field 1), read without parsing them. */
    static int countNodes(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int count = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) == 7 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                while (!in.isAtEnd()) {
                    int t = in.readTag();
                    if (WireFormat.getTagFieldNumber(t) == 1) {
                        count++;
                    }
                    if (!in.skipField(t)) {
                        break;
                    }
                }
                in.popLimit(limit);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return count;
    }

    /** The image input: the graph input that is not an initializer, (N, C, H, W) float with C, H, W fixed. */
    private Node input(OnnxMl.GraphProto g) throws ModelFormatException {
        List<OnnxMl.ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !values.containsKey(v.getName())).toList();
        if (inputs.size() != 1) {
            throw bad("the graph has " + inputs.size() + " inputs besides its initializers; one image input is supported");
        }
        OnnxMl.ValueInfoProto v = inputs.get(0);
        OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
        if (t.getElemType() != 1) {
            throw bad("input '" + v.getName() + "' is not float32 (element type " + t.getElemType() + ")");
        }
        List<OnnxMl.TensorShapeProto.Dimension> dims = t.getShape().getDimList();
        if (dims.size() != 4) {
            throw bad("input '" + v.getName() + "' has rank " + dims.size() + "; images (N, C, H, W) are supported");
        }
        long[] shape = new long[4];
        shape[0] = 1;
        for (int i = 1; i < 4; i++) {
            OnnxMl.TensorShapeProto.Dimension d = dims.get(i);
            if (!d.hasDimValue() || d.getDimValue() <= 0 || d.getDimValue() > MAX_INPUT_DIM) {
                throw bad("input '" + v.getName() + "' dimension " + i + " is "
                        + (d.hasDimValue() ? Long.toString(d.getDimValue()) : "'" + d.getDimParam() + "'")
                        + "; channels, height and width must be fixed sizes up to " + MAX_INPUT_DIM
                        + " (export with a fixed input size; only the batch may be dynamic)");
            }
            shape[i] = d.getDimValue();
        }
        String id = uniqueId(v.getName().isBlank() ? "input" : v.getName(), "input");
        values.put(v.getName(), new Dyn(id, shape));
        return new Node(id, new Op.Input((int) shape[1], (int) shape[2], (int) shape[3]), List.of());
    }

    private String uniqueId(String wanted, String fallback) {
        String id = wanted == null || wanted.isBlank() ? fallback : wanted;
        String base = id;
        for (int k = 1; !ids.add(id); k++) {
            id = base + "_" + k;
        }
        return id;
    }

    /** The nodes the output depends on, in their order. */
    private List<Node> live(String output) {
        Map<String, Node> byId = new HashMap<>();
        for (Node n : nodes) {
            byId.put(n.id(), n);
        }
        Set<String> keep = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(output));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (keep.add(id)) {
                todo.addAll(byId.get(id).inputs());
            }
        }
        keep.add(nodes.get(0).id());
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (keep.contains(n.id())) {
                out.add(n);
            }
        }
        // the output node last, as a Graph requires
        Node last = byId.get(output);
        out.remove(last);
        out.add(last);
        return out;
    }

    // ---------------------------------------------------------------- one node

    /** One ONNX node with its resolved inputs (null for an omitted optional input). */
    final class Ctx {
        final OnnxMl.NodeProto node;
        final String name;
        final List<Object> in;
        final Map<String, OnnxMl.AttributeProto> attrs = new HashMap<>();

        Ctx(OnnxMl.NodeProto node, String name, List<Object> in) {
            this.node = node;
            this.name = name;
            this.in = in;
            for (OnnxMl.AttributeProto a : node.getAttributeList()) {
                attrs.put(a.getName(), a);
            }
        }

        int opset() {
            return opset;
        }

        Object input(int i) {
            return i < in.size() ? in.get(i) : null;
        }

        Dyn dyn(int i) {
            if (input(i) instanceof Dyn d) {
                return d;
            }
            throw new Const.UnsupportedPattern("input " + i + " must be computed from the image, not a constant");
        }

        Const constant(int i) {
            if (input(i) instanceof Const c) {
                return c;
            }
            throw new Const.UnsupportedPattern("input " + i + (input(i) == null ? " is missing"
                    : " must be a constant (an initializer or a folded shape), not computed from the image"));
        }

        Const optionalConst(int i) {
            return input(i) == null ? null : constant(i);
        }

        long i(String name, long dflt) {
            OnnxMl.AttributeProto a = attrs.get(name);
            return a == null ? dflt : a.getI();
        }

        float f(String name, float dflt) {
            OnnxMl.AttributeProto a = attrs.get(name);
            return a == null ? dflt : a.getF();
        }

        String s(String name, String dflt) {
            OnnxMl.AttributeProto a = attrs.get(name);
            return a == null ? dflt : a.getS().toStringUtf8();
        }

        long[] ints(String name) {
            OnnxMl.AttributeProto a = attrs.get(name);
            return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        }

        /** An int list given as an attribute (older opsets) or as a constant input (newer ones). */
        long[] intsAttrOrInput(String name, int input, int sinceOpset) {
            if (opset >= sinceOpset) {
                Const c = optionalConst(input);
                return c == null ? null : c.asLongs();
            }
            return ints(name);
        }

        /** Registers a constant as a weight tensor under its value name. */
        String weight(int i) {
            Const c = constant(i);
            if (c.isInt()) {
                throw new Const.UnsupportedPattern("input " + i + " is an integer tensor where float weights are needed");
            }
            String tensorName = node.getInput(i);
            if (!weights.contains(tensorName)) {
                weights.put(tensorName, new Tensor(c.shape(), c.floats()));
            }
            return tensorName;
        }

        void out(int i, Object v) {
            if (i < node.getOutputCount() && !node.getOutput(i).isEmpty()) {
                values.put(node.getOutput(i), v);
            }
        }

        /** Only the first output may be read by other nodes (Dropout's mask, MaxPool's indices, ...). */
        void onlyFirstOutput() {
            for (int k = 1; k < node.getOutputCount(); k++) {
                if (!node.getOutput(k).isEmpty() && readers.contains(node.getOutput(k))) {
                    throw new Const.UnsupportedPattern("output " + k + " ('" + node.getOutput(k) + "') is used");
                }
            }
        }

        /** Appends a graph node with the given op reading the given values; its output is output {@code k}. */
        Dyn emit(String id, Op op, List<Dyn> inputs) {
            List<long[]> shapes = inputs.stream().map(Dyn::shape).toList();
            long[] shape;
            try {
                shape = Shapes.output(op, shapes);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new Const.UnsupportedPattern(e.getMessage());
            }
            String nid = uniqueId(id, node.getOpType().toLowerCase(java.util.Locale.ROOT));
            nodes.add(new Node(nid, op, inputs.stream().map(Dyn::node).toList()));
            return new Dyn(nid, shape);
        }

        Dyn emit(Op op, Dyn... inputs) {
            return emit(name, op, List.of(inputs));
        }
    }

    /** Value names read by some node or the graph output (to know whether extra outputs are used). */
    private final Set<String> readers = new HashSet<>();

    private void node(OnnxMl.NodeProto n, int index) throws ModelFormatException {
        String op = n.getOpType();
        census.merge(op, 1, Integer::sum);
        String name = n.getName().isBlank() ? op + "_" + index : n.getName();
        List<Object> in = new ArrayList<>(n.getInputCount());
        boolean unknown = false;
        for (String v : n.getInputList()) {
            if (v.isEmpty()) {
                in.add(null);
                continue;
            }
            Object val = values.get(v);
            if (val == null) {
                throw bad("node '" + name + "' (" + op + ") reads '" + v + "', which no earlier node or initializer"
                        + " produces (a dangling or cyclic reference, or nodes out of topological order)");
            }
            unknown |= val == UNKNOWN;
            in.add(val);
        }
        Ctx c = new Ctx(n, name, in);
        if (unknown) {
            // downstream of a node already reported: report it too when its op type is unknown
            if (!SUPPORTED.contains(op)) {
                unsupported.add("'" + name + "' (" + op + ", opset " + opset + "): op type not supported");
            }
            markUnknown(n);
            return;
        }
        try {
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw new Const.UnsupportedPattern("domain '" + n.getDomain() + "' is not supported");
            }
            translate(c, op);
        } catch (Const.UnsupportedPattern | ArithmeticException | IndexOutOfBoundsException e) {
            unsupported.add("'" + name + "' (" + op + ", opset " + opset + "): " + e.getMessage());
            markUnknown(n);
        }
    }

    private void markUnknown(OnnxMl.NodeProto n) {
        for (String o : n.getOutputList()) {
            if (!o.isEmpty()) {
                values.put(o, UNKNOWN);
            }
        }
    }

    private boolean allConst(Ctx c) {
        for (Object v : c.in) {
            if (v != null && !(v instanceof Const)) {
                return false;
            }
        }
        return true;
    }

    private void translate(Ctx c, String op) {
        if (allConst(c) && !c.in.isEmpty() && Folding.folds(op)) {
            c.out(0, Folding.fold(c, op));
            return;
        }
        switch (op) {
            case "Constant" -> c.out(0, Folding.constant(c));
            case "Shape" -> c.out(0, Folding.shapeOf(c, c.dyn(0).shape()));
            case "Conv" -> c.out(0, conv(c));
            case "BatchNormalization" -> {
                if (c.i("training_mode", 0) != 0) {
                    throw new Const.UnsupportedPattern("training_mode=1 (export the model in eval mode)");
                }
                c.onlyFirstOutput();
                Dyn x = c.dyn(0);
                int ch = (int) x.shape()[1];
                c.out(0, c.emit(new Op.BatchNorm2d(c.name, c.weight(1), c.weight(2), c.weight(3), c.weight(4), ch,
                        c.f("epsilon", 1e-5f)), x));
            }
            case "Relu" -> c.out(0, c.emit(new Op.Relu(), c.dyn(0)));
            case "Sigmoid" -> c.out(0, c.emit(new Op.Sigmoid(), c.dyn(0)));
            case "HardSwish" -> c.out(0, c.emit(new Op.HardSwish(), c.dyn(0)));
            case "LeakyRelu" -> c.out(0, c.emit(new Op.LeakyRelu(c.f("alpha", 0.01f)), c.dyn(0)));
            case "HardSigmoid" -> c.out(0, c.emit(new Op.HardSigmoid(c.f("alpha", 0.2f), c.f("beta", 0.5f)), c.dyn(0)));
            case "Clip" -> {
                Const lo = c.optionalConst(1);
                Const hi = c.optionalConst(2);
                c.out(0, c.emit(new Op.Clip(lo == null ? -Float.MAX_VALUE : (float) lo.get(0),
                        hi == null ? Float.MAX_VALUE : (float) hi.get(0)), c.dyn(0)));
            }
            case "Add", "Sub", "Mul", "Div" -> c.out(0, arithmetic(c, op));
            case "Concat" -> {
                List<Dyn> ins = new ArrayList<>();
                for (int i = 0; i < c.in.size(); i++) {
                    ins.add(c.dyn(i));
                }
                c.out(0, c.emit(c.name, new Op.Concat(axis(c.i("axis", 0), ins.get(0).shape().length)), ins));
            }
            case "Split" -> split(c);
            case "MaxPool" -> {
                c.onlyFirstOutput();
                if (c.i("storage_order", 0) != 0) {
                    throw new Const.UnsupportedPattern("storage_order=1");
                }
                Dyn x = c.dyn(0);
                c.out(0, c.emit(new Op.MaxPool(window(c, x.shape(), true), c.i("ceil_mode", 0) != 0), x));
            }
            case "AveragePool" -> {
                Dyn x = c.dyn(0);
                Op.Window w = window(c, x.shape(), true);
                boolean count = c.i("count_include_pad", 0) != 0;
                if (!count && !w.symmetricPads()) {
                    throw new Const.UnsupportedPattern("asymmetric padding with count_include_pad=0");
                }
                c.out(0, c.emit(new Op.AvgPool(w, c.i("ceil_mode", 0) != 0, count), x));
            }
            case "GlobalAveragePool" -> c.out(0, c.emit(new Op.GlobalAvgPool(), c.dyn(0)));
            case "ReduceMean" -> {
                Dyn x = c.dyn(0);
                long[] axes = c.intsAttrOrInput("axes", 1, 18);
                List<Integer> list = new ArrayList<>();
                int rank = x.shape().length;
                if (axes == null) {
                    if (c.i("noop_with_empty_axes", 0) != 0) {
                        c.out(0, c.emit(new Op.Identity(), x));
                        return;
                    }
                    for (int a = 0; a < rank; a++) {
                        list.add(a);
                    }
                } else {
                    for (long a : axes) {
                        list.add(axis(a, rank));
                    }
                }
                c.out(0, c.emit(new Op.ReduceMean(list, c.i("keepdims", 1) != 0), x));
            }
            case "Gemm" -> c.out(0, gemm(c));
            case "MatMul" -> {
                Dyn x = c.dyn(0);
                Const w = c.constant(1);
                if (w.rank() != 2) {
                    throw new Const.UnsupportedPattern("a MatMul by a rank-" + w.rank() + " constant");
                }
                c.out(0, c.emit(new Op.Linear(c.name, c.weight(1), null, (int) w.shape()[0], (int) w.shape()[1], true), x));
            }
            case "Flatten" -> {
                Dyn x = c.dyn(0);
                int a = axis(c.i("axis", 1), x.shape().length);
                if (a != 1) {
                    throw new Const.UnsupportedPattern("Flatten at axis " + a + " merges the batch with other axes");
                }
                c.out(0, c.emit(new Op.Flatten(), x));
            }
            case "Reshape" -> {
                Dyn x = c.dyn(0);
                c.out(0, reshapeTo(c, x, Folding.reshapeTarget(x.shape(), c.constant(1).asLongs(),
                        c.i("allowzero", 0) != 0, true)));
            }
            case "Unsqueeze", "Squeeze" -> {
                Dyn x = c.dyn(0);
                long[] axes = c.intsAttrOrInput("axes", 1, 13);
                c.out(0, reshapeTo(c, x, op.equals("Squeeze") ? Folding.squeezed(x.shape(), axes)
                        : Folding.unsqueezed(x.shape(), axes)));
            }
            case "Transpose" -> {
                Dyn x = c.dyn(0);
                long[] perm = c.ints("perm");
                List<Integer> p = new ArrayList<>();
                for (int i = 0; i < x.shape().length; i++) {
                    p.add(perm == null ? x.shape().length - 1 - i : (int) perm[i]);
                }
                if (p.get(0) != 0) {
                    throw new Const.UnsupportedPattern("a transpose that moves the batch axis (perm " + p + ")");
                }
                c.out(0, c.emit(new Op.Transpose(p), x));
            }
            case "Slice" -> c.out(0, slice(c));
            case "Pad" -> c.out(0, pad(c));
            case "Identity", "Dropout" -> {
                c.onlyFirstOutput();
                c.out(0, c.emit(new Op.Identity(), c.dyn(0)));
            }
            case "Cast" -> {
                long to = c.i("to", 1);
                if (to != 1) {
                    throw new Const.UnsupportedPattern("a cast of the image to type " + to);
                }
                c.out(0, c.emit(new Op.Identity(), c.dyn(0)));
            }
            case "Softmax" -> {
                Dyn x = c.dyn(0);
                int rank = x.shape().length;
                int a = axis(c.i("axis", opset >= 13 ? -1 : 1), rank);
                if (opset < 13 && a != rank - 1) {
                    throw new Const.UnsupportedPattern("opset " + opset + " Softmax on axis " + a + " of a rank-" + rank
                            + " input (it would flatten the trailing axes)");
                }
                c.out(0, c.emit(new Op.Softmax(a), x));
            }
            default -> throw new Const.UnsupportedPattern(Folding.folds(op)
                    ? "only supported on constants (a shape computation), here it reads the image"
                    : "op type not supported");
        }
    }

    static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new Const.UnsupportedPattern("axis " + axis + " outside rank " + rank);
        }
        return (int) a;
    }

    /** The window of a conv or pool from kernel_shape (or the weight), strides, dilations, pads and auto_pad. */
    private static Op.Window window(Ctx c, long[] in, boolean pool) {
        if (in.length != 4) {
            throw new Const.UnsupportedPattern("only 2-D windows (rank-4 inputs) are supported, not rank " + in.length);
        }
        long[] k = c.ints("kernel_shape");
        if (k == null && !pool) {
            long[] w = c.constant(1).shape();
            k = new long[] {w[2], w[3]};
        }
        if (k == null || k.length != 2) {
            throw new Const.UnsupportedPattern("kernel_shape " + Arrays.toString(k) + " (2-D windows are supported)");
        }
        long[] s = orDefault(c.ints("strides"), 1);
        long[] d = orDefault(c.ints("dilations"), 1);
        if (pool && (d[0] != 1 || d[1] != 1)) {
            throw new Const.UnsupportedPattern("dilated pooling");
        }
        long[] p = c.ints("pads");
        p = p == null ? new long[4] : p;
        if (p.length != 4) {
            throw new Const.UnsupportedPattern("pads " + Arrays.toString(p));
        }
        String auto = c.s("auto_pad", "NOTSET");
        switch (auto) {
            case "NOTSET" -> {
            }
            case "VALID" -> p = new long[4];
            case "SAME_UPPER", "SAME_LOWER" -> {
                p = new long[4];
                for (int a = 0; a < 2; a++) {
                    long outSize = Math.floorDiv(in[2 + a] + s[a] - 1, s[a]);
                    long total = Math.max(0, (outSize - 1) * s[a] + (k[a] - 1) * d[a] + 1 - in[2 + a]);
                    long small = total / 2;
                    p[a] = auto.equals("SAME_UPPER") ? small : total - small;
                    p[a + 2] = total - p[a];
                }
            }
            default -> throw new Const.UnsupportedPattern("auto_pad " + auto);
        }
        try {
            return new Op.Window(Math.toIntExact(k[0]), Math.toIntExact(k[1]), Math.toIntExact(s[0]),
                    Math.toIntExact(s[1]), Math.toIntExact(d[0]), Math.toIntExact(d[1]), Math.toIntExact(p[0]),
                    Math.toIntExact(p[1]), Math.toIntExact(p[2]), Math.toIntExact(p[3]));
        } catch (IllegalArgumentException e) {
            throw new Const.UnsupportedPattern(e.getMessage());
        }
    }

    private static long[] orDefault(long[] v, long dflt) {
        if (v == null) {
            return new long[] {dflt, dflt};
        }
        if (v.length != 2) {
            throw new Const.UnsupportedPattern("2-D windows are supported, got " + Arrays.toString(v));
        }
        return v;
    }

    private Dyn conv(Ctx c) {
        Dyn x = c.dyn(0);
        Const w = c.constant(1);
        if (w.rank() != 4) {
            throw new Const.UnsupportedPattern("a rank-" + w.rank() + " weight (2-D convolutions are supported)");
        }
        int groups = (int) c.i("group", 1);
        long[] ws = w.shape();
        Op.Window win = window(c, x.shape(), false);
        if (ws[2] != win.kernelH() || ws[3] != win.kernelW()) {
            throw new Const.UnsupportedPattern("kernel_shape does not match the weight " + Arrays.toString(ws));
        }
        String bias = c.input(2) == null ? null : c.weight(2);
        Op.Conv2d op;
        try {
            op = new Op.Conv2d(c.name, c.weight(1), bias, (int) x.shape()[1], (int) ws[0], win, groups);
        } catch (IllegalArgumentException e) {
            throw new Const.UnsupportedPattern(e.getMessage());
        }
        if (!Arrays.equals(op.weightShape(), ws)) {
            throw new Const.UnsupportedPattern("weight " + Arrays.toString(ws) + " does not fit " + x.shape()[1]
                    + " input channels in " + groups + " groups");
        }
        if (bias != null && !Arrays.equals(weights.require(bias).shape(), new long[] {ws[0]})) {
            throw new Const.UnsupportedPattern("bias shape " + weights.require(bias).shapeString());
        }
        return c.emit(op, x);
    }

    private Dyn gemm(Ctx c) {
        Dyn x = c.dyn(0);
        if (c.i("transA", 0) != 0 || c.f("alpha", 1f) != 1f || (c.input(2) != null && c.f("beta", 1f) != 1f)) {
            throw new Const.UnsupportedPattern("transA, alpha or beta other than 0, 1, 1");
        }
        if (x.shape().length != 2) {
            throw new Const.UnsupportedPattern("a rank-" + x.shape().length + " input (flatten it first)");
        }
        Const w = c.constant(1);
        boolean transB = c.i("transB", 0) != 0;
        if (w.rank() != 2) {
            throw new Const.UnsupportedPattern("a rank-" + w.rank() + " weight");
        }
        int out = (int) (transB ? w.shape()[0] : w.shape()[1]);
        int in = (int) (transB ? w.shape()[1] : w.shape()[0]);
        Const b = c.optionalConst(2);
        boolean vectorBias = b != null && b.rank() == 1 && b.shape()[0] == out && !b.isInt();
        Dyn y = c.emit(c.name, new Op.Linear(c.name, c.weight(1), vectorBias ? c.weight(2) : null, in, out, !transB),
                List.of(x));
        if (b == null || vectorBias) {
            return y;
        }
        return c.emit(c.name + "/bias", new Op.Binary(Op.Arithmetic.ADD, c.weight(2), boxed(b.shape()), false), List.of(y));
    }

    private Dyn arithmetic(Ctx c, String op) {
        Op.Arithmetic kind = Op.Arithmetic.valueOf(op.toUpperCase(java.util.Locale.ROOT));
        Object a = c.input(0);
        Object b = c.input(1);
        if (a instanceof Dyn x && b instanceof Dyn y) {
            return c.emit(c.name, kind == Op.Arithmetic.ADD ? new Op.Add() : new Op.Binary(kind, null, null, false),
                    List.of(x, y));
        }
        boolean constFirst = a instanceof Const;
        int ci = constFirst ? 0 : 1;
        Const k = c.constant(ci);
        return c.emit(c.name, new Op.Binary(kind, c.weight(ci), boxed(k.shape()), constFirst), List.of(c.dyn(1 - ci)));
    }

    private void split(Ctx c) {
        Dyn x = c.dyn(0);
        int rank = x.shape().length;
        int a = axis(c.i("axis", 0), rank);
        if (a == 0) {
            throw new Const.UnsupportedPattern("a split along the batch axis");
        }
        long[] sizes = c.intsAttrOrInput("split", 1, 13);
        int parts = c.node.getOutputCount();
        if (sizes == null) {
            long total = x.shape()[a];
            long each = Math.floorDiv(total + parts - 1, parts);
            sizes = new long[parts];
            for (int i = 0; i < parts; i++) {
                sizes[i] = Math.max(0, Math.min(each, total - each * i));
            }
        }
        if (sizes.length != parts || Arrays.stream(sizes).sum() != x.shape()[a]) {
            throw new Const.UnsupportedPattern("split sizes " + Arrays.toString(sizes) + " of " + x.shape()[a]);
        }
        long start = 0;
        for (int i = 0; i < parts; i++) {
            Op.Slice s = new Op.Slice(List.of(a), List.of(start), List.of(start + sizes[i]), List.of(1L));
            c.out(i, c.emit(c.name + "#" + i, s, List.of(x)));
            start += sizes[i];
        }
    }

    private Dyn slice(Ctx c) {
        Dyn x = c.dyn(0);
        long[] shape = x.shape();
        long[] starts = c.constant(1).asLongs();
        long[] ends = c.constant(2).asLongs();
        Const ax = c.optionalConst(3);
        Const st = c.optionalConst(4);
        List<Integer> axes = new ArrayList<>();
        List<Long> s0 = new ArrayList<>();
        List<Long> e0 = new ArrayList<>();
        List<Long> st0 = new ArrayList<>();
        for (int i = 0; i < starts.length; i++) {
            int a = axis(ax == null ? i : ax.asLongs()[i], shape.length);
            long step = st == null ? 1 : st.asLongs()[i];
            long[] r = Folding.sliceRange(shape[a], starts[i], ends[i], step);
            if (a == 0) {
                if (r[0] != 0 || r[1] != shape[0] || step != 1) {
                    throw new Const.UnsupportedPattern("a slice of the batch axis");
                }
                continue;
            }
            axes.add(a);
            s0.add(r[0]);
            e0.add(r[1]);
            st0.add(step);
        }
        return c.emit(new Op.Slice(axes, s0, e0, st0), x);
    }

    private Dyn pad(Ctx c) {
        Dyn x = c.dyn(0);
        if (!c.s("mode", "constant").equals("constant")) {
            throw new Const.UnsupportedPattern("mode '" + c.s("mode", "") + "' (constant padding is supported)");
        }
        int rank = x.shape().length;
        long[] pads = c.constant(1).asLongs();
        Const value = c.optionalConst(2);
        Const axesC = c.optionalConst(3);
        long[] full = new long[2 * rank];
        if (axesC == null) {
            if (pads.length != 2 * rank) {
                throw new Const.UnsupportedPattern("pads " + Arrays.toString(pads) + " for rank " + rank);
            }
            full = pads;
        } else {
            long[] axes = axesC.asLongs();
            for (int i = 0; i < axes.length; i++) {
                int a = axis(axes[i], rank);
                full[a] = pads[i];
                full[rank + a] = pads[axes.length + i];
            }
        }
        if (full[0] != 0 || full[rank] != 0) {
            throw new Const.UnsupportedPattern("padding of the batch axis");
        }
        List<Long> list = boxed(full);
        return c.emit(new Op.Pad(list, value == null ? 0f : (float) value.get(0)), x);
    }

    /** A Reshape node to the given full shape (batch first, kept), or Identity where nothing changes. */
    private Dyn reshapeTo(Ctx c, Dyn x, long[] target) {
        if (target[0] != x.shape()[0]) {
            throw new Const.UnsupportedPattern("a reshape that changes the batch dimension (to "
                    + Arrays.toString(target) + ")");
        }
        return c.emit(new Op.Reshape(boxed(Arrays.copyOfRange(target, 1, target.length))), x);
    }

    static List<Long> boxed(long[] v) {
        List<Long> out = new ArrayList<>(v.length);
        for (long x : v) {
            out.add(x);
        }
        return out;
    }

    /** Every value read by a node, so that unused extra outputs (Dropout's mask) are allowed. */
    private void noteReaders(OnnxMl.GraphProto g) {
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            readers.addAll(n.getInputList());
        }
        for (OnnxMl.ValueInfoProto v : g.getOutputList()) {
            readers.add(v.getName());
        }
    }

}
