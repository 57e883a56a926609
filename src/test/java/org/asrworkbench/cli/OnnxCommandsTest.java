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
    void pruningThatEmptiesLayersSaysSoNamingThem() throws Exception {
        CommandLineTest.Run r = CommandLineTest.run("prune", "--model", FOLDED, "--sparsity", "0.99");
        JsonNode j = r.json();
        assertTrue(j.get("emptiedLayers").size() > 0, r.out());
        assertTrue(r.err().contains("removed every weight of") && r.err().contains(j.get("emptiedLayers").get(0).asText()),
                r.err());
    }
}
