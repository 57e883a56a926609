package org.asrworkbench.app;

import ai.djl.Device;
import org.asrworkbench.app.controller.ModelController;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelCard;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.prune.LayerSparsity;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.testing.OnnxFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workbench's model state for an ONNX model: the Layers rows carry the ONNX node names, a
 * BN-folded network is flagged as having no units, a pruning that empties layers names them, and
 * a file without a sidecar asks for the Normalisation choice.
 */
class OnnxModelWarningsTest {
    @Test
    void foldedExportHasNoUnitsAndSaysSo() throws Exception {
        LoadedModel m = ModelLoader.load(OnnxFixtures.committed("tiny-cifar-resnet8-optA-folded.onnx"), null, null);
        WorkbenchModel wm = new WorkbenchModel();
        wm.commitModel(m, WorkbenchModel.SIDECAR);
        assertTrue(wm.warningProperty().get().contains("no BatchNorm units"), wm.warningProperty().get());
        ModelCard card = ModelCard.of(m);
        assertTrue(card.lines().get(0).contains("format onnx"), card.lines().toString());
        assertTrue(card.lines().stream().anyMatch(l -> l.contains("opset: 11")), card.lines().toString());
        assertEquals(m.graph().weightLayers().size(), card.layersWithoutBn().size());
        assertTrue(card.layersWithoutBn().get(0).startsWith("/conv1/Conv"), card.layersWithoutBn().toString());
    }

    @Test
    void bnKeptExportHasUnitsNamedByItsNodesAndNoWarning() throws Exception {
        LoadedModel m = ModelLoader.load(OnnxFixtures.committed("tiny-cifar-resnet8-optA-bn.onnx"), null, null);
        WorkbenchModel wm = new WorkbenchModel();
        wm.commitModel(m, WorkbenchModel.SIDECAR);
        assertNull(wm.warningProperty().get());
        assertEquals(7, m.graph().units().size());
        assertEquals("/conv1/Conv", m.graph().units().get(0).name());
        wm.commitPrune(Pruner.prune(m.graph(), m.weights(), PruneSettings.of(PruneKind.LAYER_UNIFORM, 0.5)));
        assertNull(wm.warningProperty().get());
        PruneResult real = Pruner.prune(m.graph(), m.weights(), PruneSettings.of(PruneKind.LAYER_UNIFORM, 0.5));
        PruneResult emptied = new PruneResult(real.settings(), real.pruned(), Map.of(), 0.9, 0.9,
                List.of(new LayerSparsity("/layer1/layer1.0/conv1/Conv", 36, 36), new LayerSparsity("/fc/Gemm", 40, 3)));
        wm.commitPrune(emptied);
        assertTrue(wm.warningProperty().get().contains("removed every weight of 1 layer(s): /layer1/layer1.0/conv1/Conv"),
                wm.warningProperty().get());
    }

    @Test
    void anOnnxFileWithoutSidecarAsksForTheNormalisationChoiceAndKeepsTheOpenModel(@TempDir Path tmp) throws Exception {
        WorkbenchModel wm = new WorkbenchModel();
        ComputeService compute = new ComputeService(wm, Runnable::run, Runnable::run, Device::cpu);
        ModelController models = new ModelController(wm, compute);
        List<String> errors = new ArrayList<>();
        compute.setErrorSink(errors::add);
        Path withSidecar = OnnxFixtures.committed("resnet20-w0.5-fashion-bn.onnx");
        assertTrue(models.openModel(withSidecar));
        Path bare = Files.copy(withSidecar, tmp.resolve("bare.onnx"));

        models.openModel(bare);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("no normalisation given and no sidecar " + tmp.resolve("bare.json"))
                && errors.get(0).contains("choose a Normalisation in the left panel"), errors.get(0));
        assertFalse(errors.get(0).contains("--norm"), errors.get(0));
        assertEquals(withSidecar, wm.getModel().source(), "the open model stays");

        errors.clear();
        wm.normalizationProperty().set("fashion-mnist");
        assertTrue(models.openModel(bare));
        assertEquals(List.of(), errors);
        assertEquals(bare, wm.getModel().source());
        assertEquals("fashion-mnist", wm.getModel().normalization().name());
    }
}
