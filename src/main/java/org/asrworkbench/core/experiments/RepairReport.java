package org.asrworkbench.core.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.UnitRepair;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.StatsJson;
import org.asrworkbench.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of one repair: settings, achieved sparsity (overall and per layer), every
 * unit's statistics and per-channel repair diagnostics, and top-1 dense, pruned and repaired.
 */
public final class RepairReport {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private RepairReport() {
    }

    /**
     * The one-line summary: method, params, lambda (the parameter of that name, where the method
     * has one; kept for older readers), sparsityAchieved, top1Pruned, top1 and more.
     */
    public static Map<String, Object> summary(RepairPlan plan, PruneResult prune, EvalResult dense,
                                              EvalResult prunedNone, EvalResult repaired, double passSeconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.putAll(plan.settings().describe());
        r.put("prune", prune.settings().kind().id());
        r.put("sparsity", prune.requested());
        r.put("sparsityAchieved", prune.achieved());
        if (dense != null) {
            r.put("top1Dense", dense.top1());
        }
        r.put("top1Pruned", prunedNone.top1());
        r.put("top1", repaired.top1());
        if (repaired.top5() != null) {
            r.put("top5", repaired.top5());
        }
        r.put("n", repaired.n());
        r.put("device", repaired.device());
        r.put("passSeconds", passSeconds);
        return r;
    }

    /**
     * What a report says about the units: the selection ({@code all} or {@code bn}), how many BN
     * and virtual units it repaired, the virtual units by name, and the classifier, which every
     * method leaves as it is.
     */
    public static Map<String, Object> units(Graph graph, UnitSelection selection) {
        List<Unit> units = graph.units(selection);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("unitSelection", selection.id());
        r.put("bnUnits", units.stream().filter(u -> !u.isVirtual()).count());
        r.put("virtualUnits", units.stream().filter(Unit::isVirtual).map(Unit::name).toList());
        Node classifier = graph.classifier();
        if (classifier != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("layer", classifier.param());
            c.put("repair", "left as it is by every method");
            r.put("classifier", c);
        }
        return r;
    }

    public static void write(Path file, Map<String, Object> summary, PruneResult prune, NetworkStats stats,
                             RepairPlan plan) throws IOException {
        ObjectNode root = MAPPER.valueToTree(summary);
        root.set("perLayer", MAPPER.valueToTree(prune.perLayer()));
        root.set("statistics", MAPPER.readTree(StatsJson.toJson(stats, unit -> plan.hasUnit(unit)
                ? plan.unit(unit).values() : Map.of())));
        root.set("repair", planJson(plan));
        AtomicFiles.write(file, out -> MAPPER.writeValue(out, root));
    }

    static JsonNode planJson(RepairPlan plan) {
        var units = MAPPER.createArrayNode();
        for (UnitRepair u : plan.units()) {
            ObjectNode n = units.addObject();
            n.put("unit", u.unit());
            n.put("kind", u.kind().id());
            n.put("bn", u.bn());
            n.set("mean", MAPPER.valueToTree(u.mean()));
            n.set("var", MAPPER.valueToTree(u.var()));
            n.set("gain", MAPPER.valueToTree(u.gain()));
            n.set("rel_var_after", MAPPER.valueToTree(u.relVarAfter()));
            u.values().forEach((k, v) -> n.set(k, MAPPER.valueToTree(v)));
        }
        ObjectNode root = MAPPER.createObjectNode();
        root.put("method", plan.settings().method().id());
        root.set("params", MAPPER.valueToTree(plan.settings().paramsJson()));
        root.put("preview", plan.preview());
        root.set("units", units);
        return root;
    }
}
