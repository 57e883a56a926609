package org.asrworkbench.cli;

import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.eval.Evaluator;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.model.LoadedModel;
import picocli.CommandLine.Command;

import java.util.Map;

/** {@code eval}: top-1 (and top-5 above 10 classes) on a labelled dataset. */
@Command(name = "eval", description = "Evaluate a model: prints one JSON object (top1, top5, n, device, seconds, imagesPerSecond).")
final class EvalCommand extends ModelCommand {

    @Override
    public Integer call() throws Exception {
        LoadedModel m = CliSupport.model(spec, common);
        try (ImageDataset data = CliSupport.data(spec, common, m, common.data, "test");
             Executor exec = new Executor(m.graph(), m.weights(), Engines.device(common.device))) {
            EvalResult r = Evaluator.evaluate(exec, Map.of(), data, EvaluationSampler.firstK(data, common.limit),
                    m.normalization(), common.batchSize, CliSupport.terminalProgress(spec.commandLine().getErr(), "eval"));
            JsonOut.print(spec.commandLine().getOut(), r);
        }
        return 0;
    }
}
