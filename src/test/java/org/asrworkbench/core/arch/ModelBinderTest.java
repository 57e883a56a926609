package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelBinderTest {
    private final Graph graph = Architectures.build(ArchSpec.parse("resnet20").withIO(3, 10));

    private StateDict weights() {
        return RandomWeights.of(graph, 1);
    }

    private ArchitectureException failure(StateDict sd) {
        return assertThrows(ArchitectureException.class, () -> ModelBinder.check(graph, sd));
    }

    @Test
    void acceptsExactWeightsAndBatchNormCounters() {
        StateDict sd = weights();
        assertDoesNotThrow(() -> ModelBinder.check(graph, sd));
        sd.put("layer1.0.bn1.num_batches_tracked", new Tensor(new long[0], new float[] {1}));
        assertDoesNotThrow(() -> ModelBinder.check(graph, sd));
    }

    @Test
    void namesTheFirstShapeMismatchWithBothShapes() {
        StateDict sd = weights();
        sd.put("linear.weight", new Tensor(new long[] {100, 64}, new float[6400]));
        sd.put("layer1.1.conv2.weight", new Tensor(new long[] {16, 16, 1, 1}, new float[256]));
        ArchitectureException e = failure(sd);
        assertEquals("layer1.1.conv2.weight", e.key());
        assertEquals("resnet20: 'layer1.1.conv2.weight' has shape [16, 16, 1, 1] in the checkpoint but"
                + " [16, 16, 3, 3] in the architecture", e.getMessage());
    }

    @Test
    void namesAMissingKey() {
        StateDict sd = new StateDict();
        weights().asMap().forEach((k, v) -> {
            if (!k.equals("layer3.0.bn2.running_var")) {
                sd.put(k, v);
            }
        });
        ArchitectureException e = failure(sd);
        assertEquals("layer3.0.bn2.running_var", e.key());
        assertEquals("resnet20: the checkpoint lacks 'layer3.0.bn2.running_var' (architecture shape [64])",
                e.getMessage());
    }

    @Test
    void rejectsUnexpectedKeysExceptBatchNormCounters() {
        StateDict sd = weights();
        sd.put("fc.weight", new Tensor(new long[] {10, 64}, new float[640]));
        ArchitectureException e = failure(sd);
        assertEquals("fc.weight", e.key());
        assertEquals("resnet20: unexpected key 'fc.weight' (shape [10, 64]) is not a parameter of the architecture",
                e.getMessage());

        StateDict counter = weights();
        counter.put("conv1.num_batches_tracked", new Tensor(new long[0], new float[] {1}));
        assertEquals("conv1.num_batches_tracked", failure(counter).key());
    }
}
