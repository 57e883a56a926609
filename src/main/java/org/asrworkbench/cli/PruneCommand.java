package org.asrworkbench.cli;

import org.asrworkbench.core.io.SafetensorsWriter;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneWarnings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code prune}: one-shot pruning; reports requested and achieved sparsity, overall and per layer. */
@Command(name = "prune", description = "Prune a model (global-magnitude, layer-uniform, filter-l1) and report the achieved sparsity.")
final class PruneCommand extends PruningCommand {
    @Option(names = "--out", paramLabel = "FILE", description = "write the pruned weights as safetensors")
    Path out;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = CliSupport.model(spec, common);
        PruneResult p = CliSupport.prune(m, repair);
        if (out != null) {
            SafetensorsWriter.write(out, p.pruned(), Map.of("asr.prune", repair.prune,
                    "asr.sparsity", Double.toString(p.achieved())));
        }
        var w = spec.commandLine().getOut();
        for (var l : p.perLayer()) {
            w.printf("%-28s %10d / %-10d %.4f%n", l.layer(), l.pruned(), l.prunable(), l.sparsity());
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", m.source().toString());
        r.put("prune", p.settings().kind().id());
        r.put("sparsity", p.requested());
        r.put("sparsityAchieved", p.achieved());
        r.put("prunable", p.prunableWeights());
        r.put("pruned", p.prunedWeights());
        r.put("perLayer", p.perLayer());
        List<String> emptied = PruneWarnings.emptiedLayers(p);
        r.put("emptiedLayers", emptied);
        String warning = PruneWarnings.message(emptied, List.of());
        if (warning != null) {
            spec.commandLine().getErr().println(warning);
        }
        if (out != null) {
            r.put("out", out.toString());
        }
        JsonOut.print(w, r);
        return 0;
    }
}
