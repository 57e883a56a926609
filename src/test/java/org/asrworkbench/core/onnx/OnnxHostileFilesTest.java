package org.asrworkbench.core.onnx;

import ai.onnx.proto.OnnxMl;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.testing.OnnxFixtures;
import org.asrworkbench.testing.OnnxModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken and hostile ONNX files: each gets a ModelFormatException naming the file and the problem. */
class OnnxHostileFilesTest {
    @TempDir
    Path dir;

    private Path write(OnnxMl.ModelProto m) throws Exception {
        return Files.write(dir.resolve("m.onnx"), m.toByteArray());
    }

    private String refused(Path file, String... expected) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxImporter.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
        return e.getMessage();
    }

    @Test
    void theSmallModelImports() throws Exception {
        OnnxImporter.Imported im = OnnxImporter.read(write(OnnxModels.model()));
        assertEquals(6, im.graph().nodes().size());
        assertEquals("conv", im.graph().weightLayers().get(0).id());
        assertEquals("conv.w", ((org.asrworkbench.core.graph.Op.Conv2d) im.graph().weightLayers().get(0).op()).weight());
    }

    @Test
    void truncatedFile() throws Exception {
        byte[] all = Files.readAllBytes(OnnxFixtures.committed("tiny-cifar-resnet8-optA-folded.onnx"));
        for (int cut : new int[] {1, 7, all.length / 3, all.length - 3}) {
            Path f = Files.write(dir.resolve("cut" + cut + ".onnx"), Arrays.copyOf(all, cut));
            assertThrows(ModelFormatException.class, () -> OnnxImporter.read(f), "cut at " + cut);
        }
        refused(Files.write(dir.resolve("t.onnx"), Arrays.copyOf(all, all.length / 2)), "truncated or corrupt");
    }

    @Test
    void initializerClaimingMoreDataThanTheFileHolds() throws Exception {
        OnnxMl.TensorProto big = OnnxModels.floats("conv.w", new long[] {4, 3, 3, 3}, new float[10]);
        refused(write(OnnxModels.model(13, g -> g.setInitializer(0, big))), "conv.w", "claims 108 values");
        OnnxMl.TensorProto typed = OnnxMl.TensorProto.newBuilder().setName("conv.w").setDataType(1)
                .addAllDims(java.util.List.of(4L, 3L, 3L, 3L)).addFloatData(1f).build();
        refused(write(OnnxModels.model(13, g -> g.setInitializer(0, typed))), "conv.w", "holds 1");
    }

    @Test
    void negativeAndAbsurdDims() throws Exception {
        OnnxMl.TensorProto neg = OnnxModels.floats("conv.w", new long[] {-4, 3, 3, 3}, new float[0]);
        refused(write(OnnxModels.model(13, g -> g.setInitializer(0, neg))), "negative dimension");
        OnnxMl.TensorProto huge = OnnxModels.floats("conv.w", new long[] {1L << 40, 1L << 40}, new float[0]);
        refused(write(OnnxModels.model(13, g -> g.setInitializer(0, huge))), "claims more than");
        OnnxMl.ModelProto badInput = OnnxModels.model(13, g -> g.setInput(0, g.getInput(0).toBuilder()
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1)
                        .setShape(OnnxMl.TensorShapeProto.newBuilder()
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(3))
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(-4))
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1L << 50)))))));
        refused(write(badInput), "dimension 2 is -4");
    }

    @Test
    void danglingAndCyclicReferences() throws Exception {
        refused(write(OnnxModels.model(13, g -> g.setNode(1, OnnxModels.node("relu", "Relu", new String[] {"nowhere"},
                new String[] {"r"})))), "'relu'", "reads 'nowhere'", "dangling or cyclic");
        // relu reads the pool's output, which reads relu's: a cycle
        refused(write(OnnxModels.model(13, g -> g.setNode(1, OnnxModels.node("relu", "Relu", new String[] {"p"},
                new String[] {"r"})))), "reads 'p'", "dangling or cyclic");
    }

    private static OnnxMl.TensorProto external(String location, long offset) {
        return OnnxMl.TensorProto.newBuilder().setName("conv.w").setDataType(1)
                .addAllDims(java.util.List.of(4L, 3L, 3L, 3L))
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)))
                .build();
    }

    @Test
    void externalDataBesideTheModelIsReadAndOutsideItRefused() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * 108).order(ByteOrder.LITTLE_ENDIAN);
        b.position(16);
        for (float v : OnnxModels.ramp(108, 0.05f)) {
            b.putFloat(v);
        }
        Files.write(dir.resolve("weights.bin"), b.array());
        Path ok = write(OnnxModels.model(13, g -> g.setInitializer(0, external("weights.bin", 16))));
        OnnxImporter.Imported im = OnnxImporter.read(ok);
        assertEquals(0.05f * ((37 % 17) - 8), im.weights().require("conv.w").data()[1], 1e-7);

        refused(write(OnnxModels.model(13, g -> g.setInitializer(0, external("../weights.bin", 16)))), "outside the model's folder");
        refused(write(OnnxModels.model(13, g -> g.setInitializer(0, external(dir.resolve("weights.bin").toString(), 16)))),
                "outside the model's folder");
        refused(write(OnnxModels.model(13, g -> g.setInitializer(0, external("weights.bin", 400)))), "claims 432 bytes");
        refused(write(OnnxModels.model(13, g -> g.setInitializer(0, external("missing.bin", 0)))), "does not exist");
    }

    @Test
    void aMillionNodeGraphIsRefusedQuickly() throws Exception {
        OnnxMl.GraphProto.Builder g = OnnxModels.model().getGraph().toBuilder().clearNode();
        String prev = "x";
        for (int i = 0; i < 1_000_000; i++) {
            String out = "v" + i;
            g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").addInput(prev).addOutput(out));
            prev = out;
        }
        Path f = write(OnnxModels.model().toBuilder().setGraph(g).build());
        g = null;
        long t0 = System.nanoTime();
        refused(f, "1000000 nodes", "more than the " + OnnxImporter.MAX_NODES);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 10, "took " + seconds + " s");
    }

    @Test
    void deeplyNestedProtobufIsRefused() throws Exception {
        OnnxMl.GraphProto inner = OnnxMl.GraphProto.newBuilder().setName("leaf").build();
        for (int i = 0; i < 120; i++) {
            inner = OnnxMl.GraphProto.newBuilder().setName("g" + i).addNode(OnnxMl.NodeProto.newBuilder().setOpType("If")
                    .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch").setG(inner))).build();
        }
        OnnxMl.GraphProto deep = inner;
        refused(write(OnnxModels.model(13, g -> g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("If").setName("deep")
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch").setG(deep)).build()))),
                "truncated or corrupt", "nesting");
    }

    @Test
    void everyUnsupportedNodeIsListedInOneError() throws Exception {
        OnnxMl.ModelProto m = OnnxModels.model(13, g -> g.setNode(1, OnnxModels.node("weird", "Einsum",
                new String[] {"c"}, new String[] {"r"})).addNode(OnnxModels.node("other", "LSTM", new String[] {"y"},
                new String[] {"z"})));
        String msg = refused(write(m), "2 node(s) cannot be imported", "'weird' (Einsum, opset 13)",
                "'other' (LSTM, opset 13)");
        assertTrue(msg.contains("op type not supported"), msg);
    }

    @Test
    void opsetsOutsideElevenToEighteenAreRefused() throws Exception {
        refused(write(OnnxModels.model(9, g -> g)), "opset 9 is not supported");
        refused(write(OnnxModels.model(19, g -> g)), "opset 19 is not supported");
    }

    @Test
    void withoutSidecarTheNormalisationMustBeGiven() throws Exception {
        Path f = write(OnnxModels.model());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(f, null, null));
        assertTrue(e.getMessage().contains("pass --norm"), e.getMessage());
        Files.writeString(dir.resolve("norm.json"), "{\"name\":\"n\",\"channels\":3,\"height\":4,\"width\":4,"
                + "\"mean\":[0,0,0],\"std\":[1,1,1]}");
        LoadedModel m = ModelLoader.load(f, null, dir.resolve("norm.json").toString());
        assertEquals("onnx", m.descriptor().family());
        assertEquals("13", m.descriptor().properties().get("opset"));
        assertEquals(java.util.List.of(1L, 3L, 4L, 4L), m.descriptor().inputShape());
    }
}
