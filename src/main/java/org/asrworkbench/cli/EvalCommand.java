package org.asrworkbench.cli;

import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.eval.Evaluator;
import org.asrworkbench.core.eval.Logits;
import org.asrworkbench.core.eval.NonFiniteOutputException;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.util.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** {@code eval}: top-1 (and top-5 above 10 classes) on a labelled dataset. */
@Command(name = "eval", description = "Evaluate a model: prints one JSON object (top1, top5, n, device, seconds, imagesPerSecond).")
final class EvalCommand extends ModelCommand {
    @Option(names = "--logits", paramLabel = "FILE", description = "also write every evaluated image's logits as CSV:"
            + " index (in the dataset), label, predicted (first maximal logit), logit0 ... logit<k-1>")
    Path logitsFile;

    @Override
    public Integer call() throws Exception {
        CliSupport.outputs(common, null).output("--logits", logitsFile).verify();
        LoadedModel m = CliSupport.model(spec, common);
        try (ImageDataset data = CliSupport.data(spec, common, m, common.data, "test");
             Executor exec = new Executor(m.graph(), m.weights(), Engines.device(common.device))) {
            int[] indices = EvaluationSampler.firstK(data, common.limit);
            var progress = CliSupport.terminalProgress(spec.commandLine().getErr(), "eval");
            EvalResult r;
            try {
                if (logitsFile == null) {
                    r = Evaluator.evaluate(exec, Map.of(), data, indices, m.normalization(), common.batchSize, progress);
                } else {
                    EvalResult[] result = new EvalResult[1];
                    // a failed evaluation (a non-finite logit) leaves no logits file
                    AtomicFiles.write(logitsFile, out -> {
                        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                        result[0] = Evaluator.evaluate(exec, Map.of(), data, indices, m.normalization(),
                                common.batchSize, progress,
                                (start, b, k, labels, logits) -> writeRows(w, indices, start, b, k, labels, logits));
                        w.flush();
                    });
                    r = result[0];
                }
            } catch (NonFiniteOutputException e) {
                throw e.forFile(m.source());
            }
            JsonOut.print(spec.commandLine().getOut(), r);
        }
        return 0;
    }

    /** The CSV lines of one batch, after the header when it is the first. */
    static void writeRows(Writer w, int[] indices, int start, int b, int k, int[] labels, float[] logits)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        if (start == 0) {
            sb.append("index,label,predicted");
            for (int j = 0; j < k; j++) {
                sb.append(",logit").append(j);
            }
            sb.append('\n');
        }
        Logits batch = new Logits(b, k, logits);
        for (int i = 0; i < b; i++) {
            sb.append(indices[start + i]).append(',').append(labels[i]).append(',').append(batch.argmax(i));
            for (int j = 0; j < k; j++) {
                sb.append(',').append(logits[i * k + j]);
            }
            sb.append('\n');
        }
        w.write(sb.toString());
    }
}
