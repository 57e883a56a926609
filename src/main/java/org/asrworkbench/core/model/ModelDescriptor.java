package org.asrworkbench.core.model;

import org.asrworkbench.core.data.Normalization;

import java.util.List;
import java.util.Map;

/**
 * A loaded model's identity, the same for every {@link ModelFormat}: what stats, sweeps, runs,
 * reports, {@code info} and the GUI name it by.
 *
 * @param name          the model's name: a built-in architecture's canonical name (such as
 *                      {@code resnet20}, unchanged from before, so sweep cell ids stay stable), or
 *                      the graph name of an imported model
 * @param format        the {@linkplain ModelFormat#id() format} it was read with
 * @param family        the built-in family ({@code cifar-resnet}, {@code resnet}, ...) or {@code onnx}
 * @param archSource    where the architecture came from
 * @param inputShape    the input shape for a batch of one, (1, C, H, W); 0 where any size is accepted
 * @param normalization the input normalisation (null only inside a format, before it is resolved)
 * @param properties    format details for the model card (ONNX: opset, producer, IR version), in order
 */
public record ModelDescriptor(String name, String format, String family, ArchSource archSource, List<Long> inputShape,
                              Normalization normalization, Map<String, String> properties) {
    public ModelDescriptor {
        inputShape = List.copyOf(inputShape);
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }

    public ModelDescriptor withNormalization(Normalization n) {
        return new ModelDescriptor(name, format, family, archSource, inputShape, n, properties);
    }
}
