package org.asrworkbench.testing;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.UnaryOperator;

/**
 * Small ONNX models built with the protobuf classes, for tests of the importer's checks: a
 * conv -> relu -> global pool -> flatten -> gemm network on a (N, 3, 4, 4) input, and pieces to
 * break it with.
 */
public final class OnnxModels {
    private OnnxModels() {
    }

    public static OnnxMl.TensorProto floats(String name, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(1)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    public static float[] ramp(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * ((i * 37 % 17) - 8);
        }
        return v;
    }

    public static OnnxMl.NodeProto node(String name, String op, String[] in, String[] out, OnnxMl.AttributeProto... attrs) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setName(name).setOpType(op);
        for (String s : in) {
            n.addInput(s);
        }
        for (String s : out) {
            n.addOutput(s);
        }
        for (OnnxMl.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    public static OnnxMl.AttributeProto ints(String name, long... v) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    public static OnnxMl.AttributeProto integer(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(v).build();
    }

    static OnnxMl.ValueInfoProto value(String name, Object... dims) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            s.addDim(d instanceof String p ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(p)
                    : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    /** The valid small network; {@code edit} changes the graph before it is wrapped in a model. */
    public static OnnxMl.ModelProto model(int opset, UnaryOperator<OnnxMl.GraphProto.Builder> edit) {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("small")
                .addInput(value("x", "batch", 3, 4, 4))
                .addOutput(value("y", "batch", 5))
                .addInitializer(floats("conv.w", new long[] {4, 3, 3, 3}, ramp(108, 0.05f)))
                .addInitializer(floats("conv.b", new long[] {4}, 0.1f, -0.2f, 0.3f, 0f))
                .addInitializer(floats("fc.w", new long[] {5, 4}, ramp(20, 0.1f)))
                .addInitializer(floats("fc.b", new long[] {5}, 1, 2, 3, 4, 5))
                .addNode(node("conv", "Conv", new String[] {"x", "conv.w", "conv.b"}, new String[] {"c"},
                        ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)))
                .addNode(node("relu", "Relu", new String[] {"c"}, new String[] {"r"}))
                .addNode(node("pool", "GlobalAveragePool", new String[] {"r"}, new String[] {"p"}))
                .addNode(node("flat", "Flatten", new String[] {"p"}, new String[] {"f"}))
                .addNode(node("fc", "Gemm", new String[] {"f", "fc.w", "fc.b"}, new String[] {"y"}, integer("transB", 1)));
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("asr-workbench-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(edit.apply(g)).build();
    }

    public static OnnxMl.ModelProto model() {
        return model(13, g -> g);
    }
}
