package org.asrworkbench.core.model;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Shapes;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.graph.UnitSelection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code info} and the GUI's model card say about a loaded model, the same for every format:
 * the descriptor, the op census of the graph as imported, the units and the weight layers no
 * BatchNorm follows (a BN-folded export has no BN units: its BatchNorms were folded into the convs).
 */
public record ModelCard(LoadedModel model, Map<String, Integer> opCensus, List<String> layersWithoutBn, long classes) {

    public static ModelCard of(LoadedModel m) {
        Graph g = m.graph();
        Map<String, Integer> census = new TreeMap<>();
        for (Node n : g.nodes()) {
            census.merge(n.op().kind(), 1, Integer::sum);
        }
        List<String> noBn = g.layersWithoutBatchNorm().stream().map(Node::param).toList();
        return new ModelCard(m, census, noBn, classes(m));
    }

    /** Classifier outputs: the built-in spec's, else the output's last dim for the model's input shape. */
    private static long classes(LoadedModel m) {
        if (m.arch() != null) {
            return m.arch().numClasses();
        }
        long[] in = m.graph().inputShape();
        long[] out = Shapes.infer(m.graph(), in).get(m.graph().output().id());
        return out[out.length - 1];
    }

    /** True when the graph has weight layers but no BatchNorm unit (a BN-folded export, or a network without BN). */
    public boolean noUnits() {
        return model.graph().units(UnitSelection.BN).isEmpty() && !model.graph().weightLayers().isEmpty();
    }

    /** The note for a network without BatchNorm units, or null. */
    public String warning() {
        return noUnits() ? NO_UNITS : null;
    }

    static final String NO_UNITS = "no BatchNorm units: this network's BatchNorms were folded into its convs at"
            + " export (or it has none), so repair acts on its virtual units (a virtual BN after every conv or linear"
            + " layer but the classifier; --units all, the default) and --units bn has nowhere to act. Export with"
            + " BatchNorm kept (training=torch.onnx.TrainingMode.PRESERVE on an eval-mode model) to repair its real"
            + " BatchNorms (docs/onnx.md).";

    /** The card as text lines. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        ModelDescriptor d = model.descriptor();
        out.add("model: " + d.name() + ", format " + d.format() + ", family " + d.family() + ", input " + d.inputShape()
                + ", " + model.graph().nodes().size() + " nodes");
        d.properties().forEach((k, v) -> out.add("  " + k + ": " + v));
        out.add("op census: " + opCensus);
        List<Unit> units = model.graph().units();
        long virtual = units.stream().filter(Unit::isVirtual).count();
        Node classifier = model.graph().classifier();
        out.add("units: " + units.size() + " (" + (units.size() - virtual) + " BN, " + virtual + " virtual)"
                + (classifier == null ? "" : ", classifier " + classifier.param() + " (left as it is)")
                + ", layers without BatchNorm: "
                + (layersWithoutBn.isEmpty() ? "none" : String.join(", ", layersWithoutBn)));
        if (noUnits()) {
            out.add("note: " + NO_UNITS);
        }
        return out;
    }

}
