package org.asrworkbench.core.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.repair.RepairExport;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a repaired network back into the ONNX file it was imported from: the same graph (node
 * names and order, opset, graph inputs and outputs, metadata, producer), with the initializers
 * that the repair changed replaced by the state dict's values, keyed as the importer keys them —
 * by the value name the consuming node reads (see {@link OnnxImporter}).
 *
 * <ul>
 * <li>A value that is an initializer is overwritten (as float32, its dims kept); one that is a
 *     {@code Constant} node's output gets a new {@code value} attribute.</li>
 * <li>A value computed from a constant by a node that keeps the data in order ({@code Identity},
 *     {@code Cast} to float, {@code Reshape}, {@code Flatten}, {@code Squeeze}, {@code Unsqueeze};
 *     PyTorch writes {@code Identity} for deduplicated initializers and {@code Cast} for float16 or
 *     double weights): the source initializer is overwritten where that node is its only reader,
 *     otherwise the node reads a new initializer ({@code VALUE_asr}) and the shared one is left to
 *     its other readers (the last of which may then take it in place). Any other computation on constants cannot be written back and is refused.</li>
 * <li>A Conv or Gemm node without a bias whose {@link RepairExport#addedBiasName added bias} is in
 *     the state dict gets that initializer as its third input (a virtual unit folded into the layer);
 *     where the workbench adds the layer's bias with a separate Add (a Gemm's non-vector C, a MatMul
 *     followed by an Add of a constant), the added bias is summed into that constant.</li>
 * <li>Unchanged tensors keep their bytes and type. Tensors kept as external data in the source are
 *     written to {@code OUT.data} beside the export; the source and its data files are never
 *     written. Both files are written through a temporary file and moved into place.</li>
 * </ul>
 * Anything that cannot be mapped back is refused with a {@link ModelFormatException} naming the
 * export, the source and the tensor, and nothing is written.
 */
public final class OnnxExport {
    private static final Set<String> DATA_PRESERVING = Set.of("Identity", "Cast", "Reshape", "Flatten", "Squeeze", "Unsqueeze");
    private static final int FLOAT = 1;
    private static final int ALIGN = 64;

    /**
     * What was written.
     *
     * @param file         the exported model
     * @param written      initializers (or constants) given the repaired values
     * @param addedBiases  biases a folded virtual unit added to layers that had none
     * @param merged       constants that took such a bias because the layer's bias is a separate Add
     * @param rewired      nodes that now read a new initializer instead of a shared one
     * @param externalData the external data file beside the export, or null when every tensor is inline
     */
    public record Written(Path file, List<String> written, List<String> addedBiases, List<String> merged, List<String> rewired,
                          Path externalData) {
    }

    private final Path source;
    private final Path out;
    private final OnnxMl.ModelProto.Builder model;
    private final OnnxMl.GraphProto.Builder g;
    private final Map<String, Integer> initializers = new HashMap<>();
    private final Map<String, Integer> producers = new HashMap<>();
    private final Map<String, Integer> readers = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private final Set<String> graphOutputs = new HashSet<>();
    /** Initializers (by index) given new float data. */
    private final Map<Integer, float[]> replaced = new LinkedHashMap<>();
    private final List<String> written = new ArrayList<>();
    private final List<String> added = new ArrayList<>();
    private final List<String> rewired = new ArrayList<>();
    private final List<String> merged = new ArrayList<>();

    private OnnxExport(Path source, Path out, OnnxMl.ModelProto proto) {
        this.source = source;
        this.out = out;
        this.model = proto.toBuilder();
        this.g = model.getGraphBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            initializers.put(g.getInitializer(i).getName(), i);
            names.add(g.getInitializer(i).getName());
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxMl.NodeProto n = g.getNode(i);
            for (String o : n.getOutputList()) {
                producers.put(o, i);
                names.add(o);
            }
            for (String v : n.getInputList()) {
                readers.merge(v, 1, Integer::sum);
            }
        }
        g.getInputList().forEach(v -> names.add(v.getName()));
        g.getOutputList().forEach(v -> {
            graphOutputs.add(v.getName());
            readers.merge(v.getName(), 1, Integer::sum);
        });
    }

    /**
     * Writes {@code weights} (a repaired network's state dict, keyed by the graph's tensor names)
     * into a copy of {@code source}'s model at {@code out}.
     *
     * @param graph the graph imported from {@code source}; the file must still give the same one
     */
    public static Written write(Path source, Graph graph, StateDict weights, Path out) throws ModelFormatException, IOException {
        if (Files.exists(out) && Files.isSameFile(out, source)) {
            throw new ModelFormatException(out, "refusing to write the repaired model over its source; choose another file");
        }
        OnnxImporter.Imported original = OnnxImporter.read(source);
        OnnxExport e = new OnnxExport(source, out, OnnxImporter.parseModel(source));
        Map<String, long[]> now = original.graph().parameterShapes();
        Map<String, long[]> then = graph.parameterShapes();
        boolean same = now.size() == then.size() && then.entrySet().stream()
                .allMatch(x -> now.containsKey(x.getKey()) && Arrays.equals(now.get(x.getKey()), x.getValue()));
        if (!same) {
            throw e.refused("the source no longer gives the graph that was repaired (it changed since it was opened)");
        }
        return e.run(original.weights(), weights);
    }

    private ModelFormatException refused(String problem) {
        return new ModelFormatException(out, "cannot write the repaired model from " + source + ": " + problem);
    }

    private Written run(StateDict original, StateDict weights) throws ModelFormatException, IOException {
        List<String> extra = new ArrayList<>();
        for (Map.Entry<String, Tensor> x : weights.asMap().entrySet()) {
            String name = x.getKey();
            Tensor t = x.getValue();
            Tensor before = original.get(name);
            if (before == null) {
                extra.add(name);
                continue;
            }
            if (!Arrays.equals(before.shape(), t.shape())) {
                throw refused("tensor '" + name + "' has shape " + t.shapeString() + ", the file's " + before.shapeString());
            }
            if (t.firstNonFinite() >= 0) {
                throw refused("tensor '" + name + "' has a non-finite value (" + t.data()[t.firstNonFinite()] + ")");
            }
            if (!Arrays.equals(before.data(), t.data())) {
                place(name, t);
                written.add(name);
            }
        }
        addBiases(weights, original, extra);
        if (!extra.isEmpty()) {
            throw refused("tensor(s) '" + String.join("', '", extra) + "' are not in the file and are no added bias of a Conv, Gemm or"
                    + " MatMul node");
        }
        return save();
    }

    // ------------------------------------------------------------------ placing a changed value

    private void place(String value, Tensor t) throws ModelFormatException {
        Integer init = initializers.get(value);
        if (init != null) {
            replace(init, value, t);
            return;
        }
        Integer p = producers.get(value);
        if (p == null) {
            throw refused("tensor '" + value + "' is neither an initializer nor computed by a node of the file");
        }
        OnnxMl.NodeProto n = g.getNode(p);
        String op = n.getOpType();
        if (op.equals("Constant")) {
            OnnxMl.NodeProto.Builder b = n.toBuilder().clearAttribute();
            b.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value")
                    .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(floats(value, t.shape(), t.data())));
            g.setNode(p, b);
            return;
        }
        if (!DATA_PRESERVING.contains(op) || n.getInputCount() == 0 || (op.equals("Cast") && castTo(n) != FLOAT)) {
            throw refused("tensor '" + value + "' is computed by node '" + n.getName() + "' (" + op + ") from constants;"
                    + " its repaired value cannot be written back without changing the graph");
        }
        String from = n.getInput(0);
        long[] dims = constantDims(from);
        if (dims == null) {
            throw refused("tensor '" + value + "' is computed by node '" + n.getName() + "' (" + op + ") from '" + from
                    + "', which is no initializer or Constant; its repaired value cannot be written back");
        }
        Integer src = initializers.get(from);
        boolean exclusive = src != null && readers.getOrDefault(from, 0) == 1 && !graphOutputs.contains(from);
        if (exclusive) {
            replace(src, from, new Tensor(dims, t.data()));
            return;
        }
        String fresh = unique(value + "_asr");
        g.addInitializer(floats(fresh, dims, t.data()));
        initializers.put(fresh, g.getInitializerCount() - 1);
        declareIfOldIr(fresh, dims);
        g.setNode(p, n.toBuilder().setInput(0, fresh));
        // the last node still reading a shared initializer may then take its data in place
        readers.merge(from, -1, Integer::sum);
        rewired.add(n.getName().isBlank() ? op + " -> " + value : n.getName());
    }

    private static long castTo(OnnxMl.NodeProto n) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals("to")).mapToLong(OnnxMl.AttributeProto::getI)
                .findFirst().orElse(-1);
    }

    /** The dims of an initializer or a Constant node's tensor, or null. */
    private long[] constantDims(String value) {
        Integer i = initializers.get(value);
        if (i != null) {
            return g.getInitializer(i).getDimsList().stream().mapToLong(Long::longValue).toArray();
        }
        Integer p = producers.get(value);
        if (p != null && g.getNode(p).getOpType().equals("Constant")) {
            for (OnnxMl.AttributeProto a : g.getNode(p).getAttributeList()) {
                if (a.getName().equals("value")) {
                    return a.getT().getDimsList().stream().mapToLong(Long::longValue).toArray();
                }
                if (a.getName().equals("value_floats")) {
                    return new long[] {a.getFloatsCount()};
                }
                if (a.getName().equals("value_float")) {
                    return new long[0];
                }
            }
        }
        return null;
    }

    private void replace(int index, String name, Tensor t) throws ModelFormatException {
        OnnxMl.TensorProto old = g.getInitializer(index);
        long[] dims = old.getDimsList().stream().mapToLong(Long::longValue).toArray();
        if (Tensor.numel(dims) != t.numel()) {
            throw refused("tensor '" + name + "' has " + t.numel() + " values, the initializer " + Arrays.toString(dims));
        }
        replaced.put(index, t.data());
        if (old.getDataType() != FLOAT) {
            retype(name);
        }
    }

    /** Declared types of a name that became float32 (graph inputs of old IR versions, value_info). */
    private void retype(String name) {
        for (int i = 0; i < g.getInputCount(); i++) {
            if (g.getInput(i).getName().equals(name)) {
                g.setInput(i, withFloat(g.getInput(i)));
            }
        }
        for (int i = 0; i < g.getValueInfoCount(); i++) {
            if (g.getValueInfo(i).getName().equals(name)) {
                g.setValueInfo(i, withFloat(g.getValueInfo(i)));
            }
        }
    }

    private static OnnxMl.ValueInfoProto withFloat(OnnxMl.ValueInfoProto v) {
        OnnxMl.ValueInfoProto.Builder b = v.toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().setElemType(FLOAT);
        return b.build();
    }

    /** IR versions before 4 require every initializer to be a graph input too. */
    private void declareIfOldIr(String name, long[] dims) {
        if (model.getIrVersion() >= 4) {
            return;
        }
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        g.addInput(OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(s))));
    }

    private String unique(String wanted) {
        String n = wanted;
        for (int k = 1; names.contains(n); k++) {
            n = wanted + "_" + k;
        }
        names.add(n);
        return n;
    }

    // ------------------------------------------------------------------ biases added by virtual units

    /**
     * The biases a folded virtual unit added to a layer without one: a Conv or Gemm without a bias
     * input takes it as its third input; a Gemm whose bias is an {@code Add} in the workbench (a
     * non-vector C) and a MatMul read only by an {@code Add} of a constant get it added into that
     * constant, so the graph keeps its nodes.
     */
    private void addBiases(StateDict weights, StateDict original, List<String> extra) throws ModelFormatException {
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxMl.NodeProto n = g.getNode(i);
            String op = n.getOpType();
            boolean layer = op.equals("Conv") || op.equals("Gemm") || op.equals("MatMul");
            if (!layer || n.getInputCount() < 2 || !extra.contains(RepairExport.addedBiasName(n.getInput(1)))) {
                continue;
            }
            String bias = RepairExport.addedBiasName(n.getInput(1));
            String node = "'" + n.getName() + "' (" + op + ")";
            Tensor t = weights.require(bias);
            if (t.shape().length != 1) {
                throw refused("the added bias '" + bias + "' has shape " + t.shapeString() + "; a vector is needed");
            }
            if (t.firstNonFinite() >= 0) {
                throw refused("tensor '" + bias + "' has a non-finite value (" + t.data()[t.firstNonFinite()] + ")");
            }
            String into = op.equals("MatMul") ? followingAddConstant(n) : n.getInputCount() > 2 && !n.getInput(2).isEmpty()
                    ? n.getInput(2) : null;
            if (into != null) {
                mergeBias(into, t, weights, original, node, bias);
            } else if (op.equals("MatMul")) {
                throw refused("node " + node + " has no bias input and its output is not read by one Add of a constant;"
                        + " the folded bias '" + bias + "' of its virtual unit cannot be written without adding a node");
            } else {
                if (n.getAttributeList().stream().anyMatch(a -> a.getName().equals("beta") && a.getF() != 1f)) {
                    throw refused("node " + node + " has beta other than 1; the added bias '" + bias + "' cannot be its input");
                }
                if (names.contains(bias)) {
                    throw refused("the added bias '" + bias + "' of node " + node + " is already a value name in the file");
                }
                names.add(bias);
                g.addInitializer(floats(bias, t.shape(), t.data()));
                initializers.put(bias, g.getInitializerCount() - 1);
                declareIfOldIr(bias, t.shape());
                OnnxMl.NodeProto.Builder b = n.toBuilder();
                if (b.getInputCount() > 2) {
                    b.setInput(2, bias);
                } else {
                    b.addInput(bias);
                }
                g.setNode(i, b);
            }
            extra.remove(bias);
            added.add(bias);
        }
    }

    /** The constant operand of the one Add that reads a MatMul's output, or null. */
    private String followingAddConstant(OnnxMl.NodeProto matmul) {
        String y = matmul.getOutput(0);
        if (readers.getOrDefault(y, 0) != 1 || graphOutputs.contains(y)) {
            return null;
        }
        for (OnnxMl.NodeProto r : g.getNodeList()) {
            if (r.getInputList().contains(y)) {
                if (!r.getOpType().equals("Add") || r.getInputCount() != 2) {
                    return null;
                }
                String other = r.getInput(0).equals(y) ? r.getInput(1) : r.getInput(0);
                return initializers.containsKey(other) || producers.containsKey(other) ? other : null;
            }
        }
        return null;
    }

    /** Adds a layer's folded bias into the constant the workbench adds after it (broadcast on the last axis). */
    private void mergeBias(String value, Tensor bias, StateDict weights, StateDict original, String node, String name)
            throws ModelFormatException {
        Tensor c = weights.contains(value) ? weights.require(value) : original.get(value);
        if (c == null || c.numel() != bias.numel()) {
            throw refused("node " + node + " adds '" + value + "'" + (c == null ? ", which is not a weight of the graph"
                    : " of shape " + c.shapeString()) + "; the folded bias '" + name + "' (" + bias.numel()
                    + " values) cannot be added into it");
        }
        float[] sum = c.data().clone();
        for (int k = 0; k < sum.length; k++) {
            sum[k] += bias.data()[k];
        }
        place(value, new Tensor(c.shape(), sum));
        written.add(value);
        merged.add(value);
    }

    // ------------------------------------------------------------------ writing

    static OnnxMl.TensorProto floats(String name, long[] dims, float[] data) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .setRawData(ByteString.copyFrom(littleEndian(data)));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static byte[] littleEndian(float[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return b.array();
    }

    /** Where an export to {@code out} puts the initializers too large to keep inside it: {@code out.data} beside it. */
    public static Path externalDataFor(Path out) {
        return out.resolveSibling(out.getFileName() + ".data");
    }

    private Written save() throws ModelFormatException, IOException {
        OnnxTensors tensors = new OnnxTensors(source);
        Path dataFile = externalDataFor(out);
        String location = dataFile.getFileName().toString();
        boolean overwritesSourceData = Files.exists(dataFile) && isSourceData(dataFile);
        List<byte[]> external = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < g.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = g.getInitializer(i);
            boolean isExternal = t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL;
            float[] now = replaced.get(i);
            if (now == null && !isExternal) {
                continue;
            }
            OnnxMl.TensorProto.Builder b = t.toBuilder();
            byte[] bytes;
            if (now != null) {
                b.clearFloatData().clearDoubleData().clearInt32Data().clearInt64Data().clearRawData()
                        .setDataType(FLOAT);
                bytes = littleEndian(now);
            } else {
                ByteBuffer raw = tensors.external(t, Tensor.numel(tensors.shape(t)) * OnnxTensors.elementSize(t.getDataType()));
                bytes = new byte[raw.remaining()];
                raw.get(bytes);
            }
            if (isExternal) {
                b.clearExternalData().clearRawData();
                b.addExternalData(entry("location", location)).addExternalData(entry("offset", Long.toString(offset)))
                        .addExternalData(entry("length", Long.toString(bytes.length)));
                external.add(bytes);
                long padded = (bytes.length + ALIGN - 1) / ALIGN * ALIGN;
                if (padded > bytes.length) {
                    external.add(new byte[(int) (padded - bytes.length)]);
                }
                offset += padded;
            } else {
                b.setDataLocation(OnnxMl.TensorProto.DataLocation.DEFAULT).clearExternalData().setRawData(ByteString.copyFrom(bytes));
            }
            g.setInitializer(i, b);
        }
        OnnxMl.ModelProto m = model.build();
        if (m.getSerializedSize() < 0 || (long) m.getSerializedSize() > Integer.MAX_VALUE - 8) {
            throw refused("the exported model would be larger than 2 GiB");
        }
        Path data = null;
        if (!external.isEmpty()) {
            data = dataFile;
            if (overwritesSourceData) {
                throw refused("writing its external data to " + dataFile + " would overwrite the source's; choose another name");
            }
            AtomicFiles.write(dataFile, o -> {
                for (byte[] b : external) {
                    o.write(b);
                }
            });
        }
        try {
            AtomicFiles.write(out, m::writeTo);
        } catch (IOException | RuntimeException ex) {
            if (data != null) {
                Files.deleteIfExists(data);
            }
            throw ex;
        }
        return new Written(out, List.copyOf(written), List.copyOf(added), List.copyOf(merged), List.copyOf(rewired), data);
    }

    /** True when {@code candidate} is an external data file of the source (read before the initializers change). */
    private boolean isSourceData(Path candidate) throws IOException {
        Path dir = source.toAbsolutePath().getParent();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
                if (e.getKey().equals("location") && dir != null) {
                    Path p = dir.resolve(e.getValue());
                    if (Files.exists(p) && Files.isSameFile(p, candidate)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static OnnxMl.StringStringEntryProto entry(String k, String v) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }
}
