package org.asrworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.asrworkbench.core.model.SampleModels;
import org.asrworkbench.testing.OnnxFixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands on ONNX files: info's descriptor and census, eval and prune as on the safetensors. */
class OnnxCommandsTest {
    static final String BN = OnnxFixtures.committed("resnet20-w0.5-fashion-bn.onnx").toString();
    static final String FOLDED = OnnxFixtures.committed("resnet20-w0.5-fashion-folded.onnx").toString();

    @Test
    void infoPrintsTheDescriptorCensusUnitsAndLayersWithoutBn() throws Exception {
        CommandLineTest.Run r = CommandLineTest.run("info", "--model", BN);
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals("onnx", j.get("family").asText());
        assertEquals("onnx", j.get("format").asText());
        assertEquals("graph", j.get("archSource").asText());
        assertEquals(19, j.get("units").asInt());
        assertEquals(10, j.get("classes").asInt());
        assertEquals("[1,1,28,28]", j.get("inputShape").toString());
        assertEquals(19, j.get("opCensus").get("BatchNormalization").asInt());
        assertEquals("13", j.get("properties").get("opset").asText());
        assertEquals("/linear/Gemm", j.get("layersWithoutBn").get(0).asText());
        assertEquals(0, j.get("virtualUnits").size());
        assertTrue(r.out().contains("op census:"), r.out());

        CommandLineTest.Run f = CommandLineTest.run("info", "--model", FOLDED);
        // no BatchNorm left: every conv is a virtual unit, the classifier none
        assertEquals(19, f.json().get("units").asInt());
        assertEquals(19, f.json().get("virtualUnits").size());
        assertEquals("/linear/Gemm", f.json().get("classifier").asText());
        assertEquals("classifier", f.json().get("layers").get(19).get("unitKind").asText());
        assertEquals("virtual", f.json().get("layers").get(0).get("unitKind").asText());
        assertEquals(20, f.json().get("layersWithoutBn").size());
        assertTrue(f.out().contains("no BatchNorm units"), f.out());
    }

    @Test
    void evalAndPruneGiveTheSafetensorsFigures() throws Exception {
        SampleModels.Sample s = SampleModels.defaultSample().orElseThrow();
        String data = s.evalImages().toString();
        double onnx = CommandLineTest.run("eval", "--model", BN, "--data", data, "--limit", "300").json().get("top1").asDouble();
        double st = CommandLineTest.run("eval", "--model", s.model().toString(), "--data", data, "--limit", "300").json()
                .get("top1").asDouble();
        assertEquals(st, onnx, 1e-12);
        JsonNode a = CommandLineTest.run("prune", "--model", BN, "--sparsity", "0.7").json();
        JsonNode b = CommandLineTest.run("prune", "--model", s.model().toString(), "--sparsity", "0.7").json();
        assertEquals(b.get("pruned").asLong(), a.get("pruned").asLong());
        assertEquals(0, a.get("emptiedLayers").size());
    }

    @Test
    void repairWritesOnnxThatEvaluatesToTheRepairedTop1() throws Exception {
        SampleModels.Sample s = SampleModels.defaultSample().orElseThrow();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("asr-onnx-out");
        java.nio.file.Path out = dir.resolve("repaired.onnx");
        CommandLineTest.Run r = CommandLineTest.run("repair", "--model", BN, "--data", s.evalImages().toString(),
                "--calib-data", s.calibImages().toString(), "--calib-n", "32", "--limit", "200", "--sparsity", "0.8",
                "--method", "asr", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(out.toString(), j.get("out").asText());
        assertTrue(j.get("onnxTensorsWritten").asInt() >= 19 * 2, j.toString());
        assertTrue(java.nio.file.Files.exists(dir.resolve("repaired.json")), "sidecar");
        double back = CommandLineTest.run("eval", "--model", out.toString(), "--data", s.evalImages().toString(),
                "--limit", "200").json().get("top1").asDouble();
        assertEquals(j.get("top1").asDouble(), back, 1e-12);
        // a safetensors model cannot go out as ONNX; the message names the file
        CommandLineTest.Run bad = CommandLineTest.run("repair", "--model", s.model().toString(), "--data",
                s.evalImages().toString(), "--calib-data", s.calibImages().toString(), "--calib-n", "16", "--limit", "50",
                "--no-dense-eval", "--out", dir.resolve("st.onnx").toString());
        assertTrue(bad.code() != 0 && bad.err().contains("needs a model opened from ONNX"), bad.err());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("st.onnx")));
    }

    @Test
    void pruningThatEmptiesLayersSaysSoNamingThem() throws Exception {
        CommandLineTest.Run r = CommandLineTest.run("prune", "--model", FOLDED, "--sparsity", "0.99");
        JsonNode j = r.json();
        assertTrue(j.get("emptiedLayers").size() > 0, r.out());
        assertTrue(r.err().contains("removed every weight of") && r.err().contains(j.get("emptiedLayers").get(0).asText()),
                r.err());
    }
}
