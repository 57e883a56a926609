package org.asrworkbench.cli;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelCard;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code info}: the model's descriptor, op census, parameters per layer, units, layers without BN, normalisation. */
@Command(name = "info", description = "Describe a model: descriptor, op census, parameters per layer, units, normalisation.")
final class InfoCommand extends ModelCommand {

    @Override
    public Integer call() throws Exception {
        LoadedModel m = CliSupport.model(spec, common);
        PrintWriter out = spec.commandLine().getOut();
        ModelCard card = ModelCard.of(m);
        Map<String, Unit> unitLayers = new HashMap<>();
        m.graph().units().stream().filter(u -> u.layerNode() != null).forEach(u -> unitLayers.put(u.layerNode(), u));
        Node classifier = m.graph().classifier();
        List<Map<String, Object>> layers = new ArrayList<>();
        out.printf("%-28s %-13s %-20s %12s  %s%n", "layer", "kind", "weight shape", "parameters", "unit");
        for (Node n : m.graph().weightLayers()) {
            Op.WeightLayer op = Graph.weightLayer(n);
            long[] shape = m.weights().require(op.weight()).shape();
            long params = m.weights().require(op.weight()).numel() + (op.hasBias() ? m.weights().require(op.bias()).numel() : 0);
            String kind = op instanceof Op.Conv2d c ? (c.groups() > 1 ? "dwconv" : "conv") : "linear";
            Unit u = unitLayers.get(n.id());
            boolean unit = u != null && !u.isVirtual();
            String unitKind = u != null ? u.kind().id() : n == classifier ? "classifier" : "none";
            out.printf("%-28s %-13s %-20s %12d  %s%n", n.param(), kind, Arrays.toString(shape), params, unitKind);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", n.param());
            row.put("kind", kind);
            row.put("shape", shape);
            row.put("parameters", params);
            row.put("unit", unit);
            row.put("unitKind", unitKind);
            layers.add(row);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", m.source().toString());
        r.put("arch", m.name());
        r.put("family", m.descriptor().family());
        r.put("format", m.descriptor().format());
        r.put("detected", m.archDetected());
        r.put("archSource", m.archSource().name().toLowerCase(java.util.Locale.ROOT));
        r.put("inputChannels", m.graph().inputChannels());
        r.put("inputShape", m.descriptor().inputShape());
        r.put("classes", card.classes());
        r.put("parameters", m.parameterCount());
        r.put("units", m.graph().units().size());
        r.put("unitNames", m.graph().units().stream().map(Unit::name).toList());
        r.put("virtualUnits", m.graph().units().stream().filter(Unit::isVirtual).map(Unit::name).toList());
        r.put("classifier", classifier == null ? null : classifier.param());
        r.put("layersWithoutBn", card.layersWithoutBn());
        r.put("opCensus", card.opCensus());
        r.put("nodes", m.graph().nodes().size());
        r.put("properties", m.descriptor().properties());
        r.put("normalization", m.normalization());
        r.put("layers", layers);
        for (String line : card.lines()) {
            out.println(line);
        }
        out.printf("%s: %s (%s), %d parameters, %d repairable units, normalisation %s%n", m.source().getFileName(),
                m.name(), m.archSource().description(), m.parameterCount(), m.graph().units().size(),
                m.normalization().name());
        JsonOut.print(out, r);
        return 0;
    }
}
