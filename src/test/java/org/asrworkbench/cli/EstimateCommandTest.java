package org.asrworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.asrworkbench.cli.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code prune --estimate} and {@code bench --what estimate} on the bundled ResNet-20 sample. */
class EstimateCommandTest {
    private static final String MODEL = "sample-models/resnet20-w0.5-fashion.safetensors";
    private static final String CALIB = "sample-models/fashion-mnist/fashion-calib-2000-images-idx3-ubyte.gz";

    @Test
    void pruneEstimateListsEveryUnitInThePassOrder() throws Exception {
        CommandLineTest.Run r = run("prune", "--model", MODEL, "--calib-data", CALIB, "--calib-n", "24",
                "--calib-seed", "none", "--sparsity", "0.8", "--estimate");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(24, j.get("nEst").asInt());
        assertTrue(j.get("estimate").asText().contains("upstream damage not included"));
        LoadedModel m = ModelLoader.load(Path.of(MODEL), null, null);
        List<String> names = new ArrayList<>();
        for (JsonNode u : j.get("units")) {
            names.add(u.get("unit").asText());
            double R = u.get("R_est").asDouble();
            assertTrue(R >= 0 && R < 10, u.toString());
        }
        assertEquals(m.graph().units().stream().map(Unit::name).toList(), names);
        Unit first = m.graph().units().get(0);
        assertEquals(first.channels(), j.get("units").get(0).get("r_est").size());
    }

    @Test
    void benchEstimateReportsGatheringAndUpdateTimes() throws Exception {
        CommandLineTest.Run r = run("bench", "--what", "estimate", "--model", MODEL, "--calib-data", CALIB,
                "--calib-n", "16", "--sparsity", "0.8");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertTrue(j.get("gatherSeconds").asDouble() > 0);
        assertTrue(j.get("updateMedianMs").asDouble() > 0);
        assertEquals(j.get("units").asInt(), j.get("unitsWithEstimate").asInt());
    }
}
