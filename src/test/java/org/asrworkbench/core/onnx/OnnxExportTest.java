package org.asrworkbench.core.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.DatasetSplit;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.export.ModelExport;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.io.TensorDecoding;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.model.SampleModels;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.repair.RepairExport;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.testing.OnnxFixtures;
import org.asrworkbench.testing.OnnxModels;
import org.asrworkbench.testing.OnnxRoundTrip;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.asrworkbench.testing.OnnxModels.floats;
import static org.asrworkbench.testing.OnnxModels.integer;
import static org.asrworkbench.testing.OnnxModels.ints;
import static org.asrworkbench.testing.OnnxModels.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ONNX export of repaired models (issue 16): round trips through ONNX Runtime and the importer
 * on the committed BN-kept sample, the shared BN-kept ResNet-20, and a small hand-made network
 * with a Gemm/MatMul head, shared, float16, double, Constant and external tensors; added biases;
 * refusals that write nothing.
 */
class OnnxExportTest {
    static final Normalization FASHION = Normalization.preset("fashion-mnist");

    @TempDir
    Path dir;

    private static ImageDataset sampleCalib() throws Exception {
        SampleModels.Sample s = SampleModels.defaultSample().orElseThrow();
        return Datasets.open(s.calibImages(), null, DatasetOptions.defaults().withInput(FASHION).withSplit(DatasetSplit.TRAIN));
    }

    @Test
    void committedBnKeptSampleRoundTrips() throws Exception {
        Path src = OnnxFixtures.committed("resnet20-w0.5-fashion-bn.onnx");
        try (ImageDataset calib = sampleCalib()) {
            OnnxRoundTrip.Result r = OnnxRoundTrip.run(src, null, calib, 64, PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.8),
                    RepairSettings.of(RepairMethod.ASR, "lambda", 0.25), dir.resolve("sample-repaired.onnx"));
            // every BN unit's scale, mean and var, and every pruned weight, were written back
            assertEquals(19, r.pass().plan().units().size());
            assertTrue(r.written().written().size() >= 19 * 3, r.written().written().toString());
            assertNull(r.written().externalData());
            System.out.printf("round trip %s: logits %.1e, statistics %.1e%n", src.getFileName(), r.worstLogit(), r.worstStat());
        }
    }

    @Test
    void committedFoldedSampleRoundTripsWithVirtualUnits() throws Exception {
        Path src = OnnxFixtures.committed("resnet20-w0.5-fashion-folded.onnx");
        try (ImageDataset calib = sampleCalib()) {
            OnnxRoundTrip.Result r = OnnxRoundTrip.run(src, null, calib, 64, PruneSettings.of(PruneKind.LAYER_UNIFORM, 0.8),
                    RepairSettings.of(RepairMethod.ASR, "lambda", 0.25), dir.resolve("folded-repaired.onnx"));
            // every conv is a virtual unit (the classifier is not), folded into its weight and bias
            assertEquals(19, r.pass().plan().units().size());
            assertTrue(r.pass().plan().units().stream().allMatch(u -> u.isVirtual()));
            assertEquals(List.of(), r.written().addedBiases(), "folded convs have their biases");
            System.out.printf("round trip %s: logits %.1e, statistics %.1e%n", src.getFileName(), r.worstLogit(), r.worstStat());
        }
    }

    @Test
    void sharedResNet20BnKeptRoundTrips() throws Exception {
        Path src = OnnxFixtures.GENERATED.resolve("shared-resnet20-bn.onnx");
        if (!Files.exists(src)) {
            OnnxFixtures.generated();
            org.junit.jupiter.api.Assumptions.abort("no " + src);
        }
        Normalization cifar = Normalization.preset("cifar");
        try (ImageDataset calib = Datasets.open(SharedData.cifarCalib(), null,
                DatasetOptions.defaults().withInput(cifar).withSplit(DatasetSplit.TRAIN))) {
            OnnxRoundTrip.Result r = OnnxRoundTrip.run(src, null, calib, 64, PruneSettings.of(PruneKind.LAYER_UNIFORM, 0.8),
                    RepairSettings.of(RepairMethod.ASR, "lambda", 0.25), dir.resolve("resnet20-repaired.onnx"));
            assertEquals(19, r.pass().plan().units().size());
            System.out.printf("round trip %s: logits %.1e, statistics %.1e%n", src.getFileName(), r.worstLogit(), r.worstStat());
        }
    }

    // ------------------------------------------------------------------ a hand-made network

    private static float[] random(Random r, int n, float scale, float offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = offset + scale * (float) r.nextGaussian();
        }
        return v;
    }

    private static OnnxMl.TensorProto typed(String name, int type, long[] dims, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * (type == 10 ? 2 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            if (type == 10) {
                b.putShort(TensorDecoding.floatToHalf(x));
            } else {
                b.putDouble(x);
            }
        }
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static OnnxMl.TensorProto external(OnnxMl.TensorProto inline, String location, long offset) {
        return inline.toBuilder().clearRawData().setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)))
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("length")
                        .setValue(Long.toString(inline.getRawData().size()))).build();
    }

    private static OnnxMl.NodeProto constant(String name, String out, OnnxMl.TensorProto value) {
        return node(name, "Constant", new String[0], new String[] {out}, OnnxMl.AttributeProto.newBuilder().setName("value")
                .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(value).build());
    }

    /**
     * conv1 (no bias; weight as external data) -> BN (gamma through Identity of an initializer
     * shared with bn2, mean a float16 initializer through Cast) -> relu -> conv2 (external weight)
     * -> BN (beta and var Constant nodes, mean a double through Cast) -> relu -> conv3 1x1 without
     * bias (its weight a Constant node) -> relu -> pool -> flatten -> Gemm fc1 (bias [1, 16]: an Add in the workbench) -> relu ->
     * MatMul fc2 (weight through Identity) -> Add -> relu -> Gemm fc3 (the classifier), on
     * Fashion-MNIST-sized images; the data file {@code head.bin} beside it.
     */
    private Path headModel(Path folder) throws Exception {
        Random r = new Random(7);
        OnnxMl.TensorProto c1 = floats("c1.w", new long[] {8, 1, 3, 3}, random(r, 72, 0.4f, 0));
        OnnxMl.TensorProto c2 = floats("c2.w", new long[] {8, 8, 3, 3}, random(r, 576, 0.15f, 0));
        OnnxMl.TensorProto bn1b = floats("bn1.b", new long[] {8}, random(r, 8, 0.1f, 0));
        byte[] data = new byte[c1.getRawData().size() + 128 + c2.getRawData().size() + bn1b.getRawData().size()];
        c1.getRawData().copyTo(data, 0);
        c2.getRawData().copyTo(data, c1.getRawData().size() + 128);
        bn1b.getRawData().copyTo(data, c1.getRawData().size() + 128 + c2.getRawData().size());
        Files.write(folder.resolve("head.bin"), data);
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("head")
                .addInput(OnnxModels.model().getGraph().getInput(0).toBuilder().setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(
                                OnnxMl.TensorShapeProto.newBuilder()
                                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(28))
                                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(28))))))
                .addOutput(OnnxModels.model().getGraph().getOutput(0).toBuilder().setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(
                                OnnxMl.TensorShapeProto.newBuilder()
                                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(10))))))
                .addInitializer(external(c1, "head.bin", 0))
                .addInitializer(external(c2, "head.bin", c1.getRawData().size() + 128))
                .addInitializer(external(bn1b, "head.bin", c1.getRawData().size() + 128 + c2.getRawData().size()))
                .addInitializer(floats("g8", new long[] {8}, random(r, 8, 0.1f, 1)))
                .addInitializer(typed("bn1.m16", 10, new long[] {8}, random(r, 8, 0.2f, 0)))
                .addInitializer(floats("bn1.v", new long[] {8}, random(r, 8, 0.05f, 1)))
                .addInitializer(floats("c2.b", new long[] {8}, random(r, 8, 0.1f, 0)))
                .addInitializer(typed("bn2.m64", 11, new long[] {8}, random(r, 8, 0.2f, 0)))
                .addInitializer(floats("fc1.w", new long[] {16, 8}, random(r, 128, 0.3f, 0)))
                .addInitializer(floats("fc1.c", new long[] {1, 16}, random(r, 16, 0.1f, 0)))
                .addInitializer(floats("fc2.w0", new long[] {16, 12}, random(r, 192, 0.3f, 0)))
                .addInitializer(floats("fc2.b", new long[] {12}, random(r, 12, 0.1f, 0)))
                .addInitializer(floats("fc3.w", new long[] {10, 12}, random(r, 120, 0.3f, 0)))
                .addInitializer(floats("fc3.b", new long[] {10}, random(r, 10, 0.1f, 0)))
                .addNode(node("id_g1", "Identity", new String[] {"g8"}, new String[] {"bn1.s"}))
                .addNode(node("id_g2", "Identity", new String[] {"g8"}, new String[] {"bn2.s"}))
                .addNode(node("cast_m1", "Cast", new String[] {"bn1.m16"}, new String[] {"bn1.m"}, integer("to", 1)))
                .addNode(node("cast_m2", "Cast", new String[] {"bn2.m64"}, new String[] {"bn2.m"}, integer("to", 1)))
                .addNode(constant("const_b2", "bn2.b", floats("", new long[] {8}, random(r, 8, 0.1f, 0))))
                .addNode(constant("const_v2", "bn2.v", floats("", new long[] {8}, random(r, 8, 0.05f, 1))))
                .addNode(constant("const_c3", "c3.w", floats("", new long[] {8, 8, 1, 1}, random(r, 64, 0.3f, 0))))
                .addNode(node("conv1", "Conv", new String[] {"x", "c1.w"}, new String[] {"a1"}, ints("kernel_shape", 3, 3),
                        ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)))
                .addNode(node("bn1", "BatchNormalization", new String[] {"a1", "bn1.s", "bn1.b", "bn1.m", "bn1.v"},
                        new String[] {"n1"}))
                .addNode(node("relu1", "Relu", new String[] {"n1"}, new String[] {"r1"}))
                .addNode(node("conv2", "Conv", new String[] {"r1", "c2.w", "c2.b"}, new String[] {"a2"},
                        ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)))
                .addNode(node("bn2", "BatchNormalization", new String[] {"a2", "bn2.s", "bn2.b", "bn2.m", "bn2.v"},
                        new String[] {"n2"}))
                .addNode(node("relu2", "Relu", new String[] {"n2"}, new String[] {"r2"}))
                .addNode(node("conv3", "Conv", new String[] {"r2", "c3.w"}, new String[] {"a3"}, ints("kernel_shape", 1, 1)))
                .addNode(node("relu3", "Relu", new String[] {"a3"}, new String[] {"r3"}))
                .addNode(node("pool", "GlobalAveragePool", new String[] {"r3"}, new String[] {"p"}))
                .addNode(node("flat", "Flatten", new String[] {"p"}, new String[] {"f"}))
                .addNode(node("fc1", "Gemm", new String[] {"f", "fc1.w", "fc1.c"}, new String[] {"h1"}, integer("transB", 1)))
                .addNode(node("relu4", "Relu", new String[] {"h1"}, new String[] {"hr1"}))
                .addNode(node("id_fc2", "Identity", new String[] {"fc2.w0"}, new String[] {"fc2.w"}))
                .addNode(node("fc2", "MatMul", new String[] {"hr1", "fc2.w"}, new String[] {"h2"}))
                .addNode(node("fc2_add", "Add", new String[] {"h2", "fc2.b"}, new String[] {"h2b"}))
                .addNode(node("relu5", "Relu", new String[] {"h2b"}, new String[] {"hr2"}))
                .addNode(node("fc3", "Gemm", new String[] {"hr2", "fc3.w", "fc3.b"}, new String[] {"y"}, integer("transB", 1)));
        OnnxMl.ModelProto m = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("asr-workbench-test")
                .setProducerVersion("1").addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("origin")
                        .setValue("OnnxExportTest"))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build();
        Path file = Files.write(folder.resolve("head.onnx"), m.toByteArray());
        org.asrworkbench.core.data.ModelSidecar.of(null, FASHION).write(folder.resolve("head.json"));
        return file;
    }

    @Test
    void gemmMatMulHeadSharedTypedConstantAndExternalTensorsRoundTrip() throws Exception {
        Path src = headModel(Files.createDirectories(dir.resolve("src")));
        byte[] sourceBytes = Files.readAllBytes(src);
        byte[] sourceData = Files.readAllBytes(src.resolveSibling("head.bin"));
        Path out = Files.createDirectories(dir.resolve("out")).resolve("head-repaired.onnx");
        try (ImageDataset calib = sampleCalib()) {
            OnnxRoundTrip.Result r = OnnxRoundTrip.run(src, null, calib, 64, PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.6),
                    RepairSettings.of(RepairMethod.ASR, "lambda", 0.25), out);
            OnnxExport.Written w = r.written();
            // conv3, fc1 and fc2 are virtual units: conv3 gains a bias input, fc1's C and fc2's Add take theirs
            assertEquals(List.of("c3.w_bias", "fc1.w_bias", "fc2.w_bias"), w.addedBiases());
            assertEquals(List.of("fc1.c", "fc2.b"), w.merged());
            // the shared gamma: bn1 reads its own copy, bn2, then its only reader, takes it in place
            assertEquals(List.of("id_g1"), w.rewired());
            OnnxMl.ModelProto back = OnnxImporter.parseModel(out);
            assertEquals("bn1.s_asr", back.getGraph().getNode(0).getInput(0));
            assertEquals("g8", back.getGraph().getNode(1).getInput(0));
            // the repaired means: the float16 and double sources became float32 in place; Cast to float stays
            assertEquals(1, init(back, "bn1.m16").getDataType());
            assertEquals(1, init(back, "bn2.m64").getDataType());
            // the pruned Constant got its new value, the unchanged ones (asr keeps var) are as they were
            OnnxMl.ModelProto before = OnnxMl.ModelProto.parseFrom(sourceBytes);
            assertEquals(before.getGraph().getNode(5), back.getGraph().getNode(5));
            assertFalse(before.getGraph().getNode(6).equals(back.getGraph().getNode(6)));
            // the Identity's exclusive source (fc2.w0) overwritten, pruned
            assertTrue(w.written().containsAll(List.of("bn1.m", "bn2.m", "c3.w", "fc2.w", "fc1.w", "c1.w", "c2.w")),
                    w.written().toString());
            assertFalse(w.written().contains("bn2.v"));
            assertTrue(OnnxRoundTrip.zeros(r.back().weights().require("fc2.w")) > 0);
            // external tensors went to a data file beside the export, the source files are untouched
            assertEquals(out.resolveSibling("head-repaired.onnx.data"), w.externalData());
            assertEquals(OnnxMl.TensorProto.DataLocation.EXTERNAL, init(back, "c1.w").getDataLocation());
            assertEquals(OnnxMl.TensorProto.DataLocation.EXTERNAL, init(back, "bn1.b").getDataLocation());
            assertArrayEquals(sourceBytes, Files.readAllBytes(src));
            assertArrayEquals(sourceData, Files.readAllBytes(src.resolveSibling("head.bin")));
            System.out.printf("round trip head.onnx: logits %.1e, statistics %.1e%n", r.worstLogit(), r.worstStat());
        }
    }

    private static OnnxMl.TensorProto init(OnnxMl.ModelProto m, String name) {
        return m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void addedBiasesBecomeTheLayersBiasOrJoinTheAddAfterIt() throws Exception {
        Path src = headModel(dir);
        LoadedModel m = ModelLoader.load(src, null, null);
        StateDict sd = m.weights().copy();
        float[] b3 = {1, -1, 0.5f, 0, 2, -2, 0.25f, 3};
        float[] b1 = new float[16];
        float[] b2 = new float[12];
        java.util.Arrays.fill(b1, 0.5f);
        java.util.Arrays.fill(b2, -0.75f);
        sd.put(RepairExport.addedBiasName("c3.w"), new Tensor(new long[] {8}, b3));
        sd.put(RepairExport.addedBiasName("fc1.w"), new Tensor(new long[] {16}, b1));
        sd.put(RepairExport.addedBiasName("fc2.w"), new Tensor(new long[] {12}, b2));
        Path out = dir.resolve("biased.onnx");
        OnnxExport.Written w = ModelExport.write(m, sd, out);
        assertEquals(List.of("c3.w_bias", "fc1.w_bias", "fc2.w_bias"), w.addedBiases());
        assertEquals(List.of("fc1.c", "fc2.b"), w.merged());
        OnnxRoundTrip.sameGraph(src, out);
        LoadedModel back = ModelLoader.load(out, null, null);
        Op.Conv2d conv3 = (Op.Conv2d) back.graph().node("conv3").op();
        assertEquals("c3.w_bias", conv3.bias());
        assertArrayEquals(b3, back.weights().require("c3.w_bias").data());
        for (int k = 0; k < 16; k++) {
            assertEquals(m.weights().require("fc1.c").data()[k] + 0.5f, back.weights().require("fc1.c").data()[k]);
        }
        for (int k = 0; k < 12; k++) {
            assertEquals(m.weights().require("fc2.b").data()[k] - 0.75f, back.weights().require("fc2.b").data()[k]);
        }
        // ONNX Runtime runs the biased export as the workbench runs its re-import, and the biases matter
        try (ImageDataset calib = sampleCalib();
             org.asrworkbench.core.exec.Executor ex = new org.asrworkbench.core.exec.Executor(back.graph(), back.weights(),
                     ai.djl.Device.cpu())) {
            float[] x = OnnxRoundTrip.firstImages(calib, m, 8);
            long[] in = m.graph().inputShape();
            long[] shape = {8, in[1], in[2], in[3]};
            float[][] ort = OnnxFixtures.run(out, x, shape, 1);
            OnnxRoundTrip.compareLogits(ort, OnnxRoundTrip.forward(ex, x, 8, in, java.util.Map.of()), out.toString());
            assertFalse(java.util.Arrays.deepEquals(ort, OnnxFixtures.run(src, x, shape, 1)));
        }
    }

    // ------------------------------------------------------------------ refusals write nothing

    private static ModelFormatException refused(Path out, ThrowingRun r, String... expected) {
        ModelFormatException e = assertThrows(ModelFormatException.class, r::run);
        assertTrue(e.getMessage().contains(out.toString()), e.getMessage());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
        return e;
    }

    interface ThrowingRun {
        void run() throws Exception;
    }

    private List<Path> leftovers(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void whatCannotBeMappedBackIsRefusedAndLeavesNoFile() throws Exception {
        Path src = headModel(dir);
        LoadedModel m = ModelLoader.load(src, null, null);
        Path out = dir.resolve("x.onnx");

        StateDict stray = m.weights().copy();
        stray.put("nowhere", new Tensor(new long[] {2}, new float[] {1, 2}));
        refused(out, () -> ModelExport.write(m, stray, out), src.toString(), "'nowhere'", "not in the file");
        assertFalse(Files.exists(out));

        // an existing export is kept as it was when a new one is refused
        byte[] before = {1, 2, 3};
        Files.write(out, before);
        StateDict nan = m.weights().copy();
        nan.require("fc1.w").data()[3] = Float.NaN;
        refused(out, () -> ModelExport.write(m, nan, out), "'fc1.w'", "non-finite");
        assertArrayEquals(before, Files.readAllBytes(out));

        // a weight computed by arithmetic on constants cannot be written back
        Path mul = Files.write(dir.resolve("mul.onnx"), OnnxModels.model(13, g -> g.setInitializer(0,
                floats("conv.w0", new long[] {4, 3, 3, 3}, OnnxModels.ramp(108, 0.05f)))
                .addInitializer(floats("two", new long[] {1}, 2f))
                .addNode(0, node("scale", "Mul", new String[] {"conv.w0", "two"}, new String[] {"conv.w"}))).toByteArray());
        OnnxImporter.Imported im = OnnxImporter.read(mul);
        StateDict pruned = im.weights().copy();
        pruned.require("conv.w").data()[0] = 0;
        Path mulOut = dir.resolve("mul-out.onnx");
        refused(mulOut, () -> OnnxExport.write(mul, im.graph(), pruned, mulOut), "'conv.w'", "'scale' (Mul)");
        assertFalse(Files.exists(mulOut));

        // never over the source, and never ONNX from a model that is not ONNX
        refused(src, () -> ModelExport.write(m, m.weights(), src), "over its source");
        SampleModels.Sample sample = SampleModels.defaultSample().orElseThrow();
        LoadedModel st = ModelLoader.load(sample.model(), null, null);
        Path stOut = dir.resolve("st.onnx");
        refused(stOut, () -> ModelExport.write(st, st.weights(), stOut), "needs a model opened from ONNX", ".safetensors");
        assertFalse(Files.exists(stOut));
        assertEquals(List.of(), leftovers(dir));
        assertNotNull(m);
    }

    @Test
    void anyModelStillExportsSafetensors() throws Exception {
        Path src = headModel(dir);
        LoadedModel m = ModelLoader.load(src, null, null);
        Path out = dir.resolve("head-st.safetensors");
        assertNull(ModelExport.write(m, m.weights(), out));
        StateDict back = org.asrworkbench.core.io.SafetensorsReader.read(out);
        assertArrayEquals(m.weights().require("fc2.w").data(), back.require("fc2.w").data());
        assertTrue(Files.exists(dir.resolve("head-st.json")));
    }

    private static void assertNull(Object o) {
        org.junit.jupiter.api.Assertions.assertNull(o);
    }
}
