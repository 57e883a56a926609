package org.asrworkbench.core.export;

import org.asrworkbench.core.data.ModelSidecar;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.io.SafetensorsWriter;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.onnx.OnnxExport;
import org.asrworkbench.core.onnx.OnnxFormat;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.core.util.OutputPaths;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a repaired network (the state dict {@code RepairExport.repairedWeights} gives) in the
 * format the output's name asks for: {@code .onnx} — the model's own ONNX graph with the repaired
 * initializers ({@link OnnxExport}), only for a model opened from ONNX — or safetensors (PyTorch
 * names, any model). A sidecar with the architecture and normalisation goes beside it, so the
 * export reopens as the model did. Every file is written atomically, and none is written when a
 * tensor holds a NaN or infinite value (a repair from non-finite statistics).
 */
public final class ModelExport {
    public static final String ONNX_SUFFIX = ".onnx";

    private ModelExport() {
    }

    /** True when {@code model} can be exported as ONNX (it was opened from an ONNX file). */
    public static boolean offersOnnx(LoadedModel model) {
        return OnnxFormat.ID.equals(model.descriptor().format());
    }

    /** True when {@code out} names an ONNX file. */
    public static boolean isOnnx(Path out) {
        return out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ONNX_SUFFIX);
    }

    /** Refuses, before any work, an output the model cannot be exported as (ONNX from a model that is not). */
    public static void checkTarget(LoadedModel model, Path out) throws ModelFormatException {
        if (isOnnx(out) && !offersOnnx(model)) {
            throw new ModelFormatException(out, "an ONNX export needs a model opened from ONNX, and "
                    + model.source() + " is " + model.descriptor().format() + "; export it as .safetensors");
        }
    }

    /**
     * Adds the files an export to {@code out} may write to an outputs check, named after
     * {@code option}: {@code out}, its sidecar, and for ONNX its external data file.
     */
    public static OutputPaths outputs(OutputPaths check, String option, Path out) {
        if (out == null) {
            return check;
        }
        return check.output(option, out).output("the sidecar of " + option, ModelSidecar.pathFor(out))
                .output("the external data of " + option, isOnnx(out) ? OnnxExport.externalDataFor(out) : null);
    }

    /**
     * Writes {@code repaired} to {@code out} and its sidecar.
     *
     * @return the ONNX export's details, or null for safetensors
     */
    public static OnnxExport.Written write(LoadedModel model, StateDict repaired, Path out)
            throws IOException, ModelFormatException {
        OnnxExport.Written w = null;
        checkTarget(model, out);
        for (Map.Entry<String, Tensor> e : repaired.asMap().entrySet()) {
            String problem = e.getValue().nonFiniteProblem(e.getKey());
            if (problem != null) {
                throw new ModelFormatException(out, "not exported: " + problem
                        + " (a repair from non-finite statistics or parameters)");
            }
        }
        if (isOnnx(out)) {
            w = OnnxExport.write(model.source(), model.graph(), repaired, out);
        } else {
            SafetensorsWriter.write(out, repaired, repaired.metadata());
        }
        ModelSidecar.of(model.archOption(), model.normalization()).write(ModelSidecar.pathFor(out));
        return w;
    }
}
