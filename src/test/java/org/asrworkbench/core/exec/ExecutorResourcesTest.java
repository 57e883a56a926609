package org.asrworkbench.core.exec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.tensor.StateDict;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The executor leaves nothing on the device when it cannot be built (a missing weight), and
 * {@link Executor#toFloats} closes the float copy it makes. Counted by the arrays a parent
 * manager holds through its open sub-managers.
 */
class ExecutorResourcesTest {
    private static final Path SAMPLE = Path.of("sample-models/resnet20-w0.5-fashion.safetensors");

    /** Arrays held by every manager of the engine (the system manager's open sub-managers). */
    private static int arraysOnTheEngine() {
        try (NDManager probe = Engines.newManager(Device.cpu())) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    @Test
    void aMissingWeightLeavesNoManagerOpen() throws Exception {
        LoadedModel m = ModelLoader.load(SAMPLE, null, null);
        List<String> names = List.copyOf(m.graph().parameterShapes().keySet());
        java.util.Map<String, org.asrworkbench.core.tensor.Tensor> w = new java.util.LinkedHashMap<>(m.weights().asMap());
        w.remove(names.get(names.size() - 1));
        StateDict missingLast = new StateDict(w);
        int before = arraysOnTheEngine();
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> new Executor(m.graph(), missingLast, Device.cpu()));
        assertEquals(before, arraysOnTheEngine(), "weights uploaded before the missing one are freed: "
                + e.getMessage());
    }

    @Test
    void toFloatsClosesItsCopy() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray d = m.create(new double[] {1, 2.5, -3});
            assertEquals(DataType.FLOAT64, d.getDataType());
            assertArrayEquals(new float[] {1, 2.5f, -3}, Executor.toFloats(d));
            assertEquals(1, m.getManagedArrays().size(), "only the array itself: " + m.getManagedArrays());
        }
    }
}
