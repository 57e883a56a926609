package org.asrworkbench.cli;

import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.model.LoadedModel;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code info}: architecture, parameters per layer, detected family, normalisation. */
@Command(name = "info", description = "Describe a model: architecture, parameters per layer, normalisation.")
final class InfoCommand extends ModelCommand {

    @Override
    public Integer call() throws Exception {
        LoadedModel m = CliSupport.model(spec, common);
        PrintWriter out = spec.commandLine().getOut();
        Set<String> unitLayers = m.graph().units().stream().map(Unit::layerNode).collect(Collectors.toSet());
        List<Map<String, Object>> layers = new ArrayList<>();
        out.printf("%-28s %-8s %-20s %12s  %s%n", "layer", "kind", "weight shape", "parameters", "BN");
        for (Node n : m.graph().weightLayers()) {
            String w = n.param() + ".weight";
            long[] shape = m.weights().require(w).shape();
            long params = m.weights().require(w).numel()
                    + (m.weights().contains(n.param() + ".bias") ? m.weights().require(n.param() + ".bias").numel() : 0);
            String kind = n.op() instanceof Op.Conv2d c ? (c.groups() > 1 ? "dwconv" : "conv") : "linear";
            boolean unit = unitLayers.contains(n.id());
            out.printf("%-28s %-8s %-20s %12d  %s%n", n.param(), kind, Arrays.toString(shape), params, unit ? "yes" : "no");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", n.param());
            row.put("kind", kind);
            row.put("shape", shape);
            row.put("parameters", params);
            row.put("unit", unit);
            layers.add(row);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", m.source().toString());
        r.put("arch", m.arch().toString());
        r.put("family", m.arch().family().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        r.put("detected", m.archDetected());
        r.put("archSource", m.archSource().name().toLowerCase(java.util.Locale.ROOT));
        r.put("inputChannels", m.graph().inputChannels());
        r.put("classes", m.arch().numClasses());
        r.put("parameters", m.parameterCount());
        r.put("units", m.graph().units().size());
        r.put("normalization", m.normalization());
        r.put("layers", layers);
        out.printf("%s: %s (%s), %d parameters, %d repairable units, normalisation %s%n", m.source().getFileName(),
                m.arch(), m.archSource().description(), m.parameterCount(), m.graph().units().size(),
                m.normalization().name());
        JsonOut.print(out, r);
        return 0;
    }
}
