package org.asrworkbench.core.exec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.GraphBuilder;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory layouts of an executor: the same values either way, channels-last on the CPU by default. */
class LayoutTest {
    @Test
    void adoptingChannelsLastKeepsShapeAndValuesAndLeavesOtherRanksAlone() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            float[] v = InferencePlanTest.random(2 * 3 * 4 * 5, 1, 0);
            NDArray x = m.create(v, new ai.djl.ndarray.types.Shape(2, 3, 4, 5));
            NDArray cl = Layout.CHANNELS_LAST.adopt(x);
            assertEquals(new ai.djl.ndarray.types.Shape(2, 3, 4, 5), cl.getShape());
            assertArrayEquals(v, cl.toFloatArray(), "toFloatArray reads the NCHW order whatever the strides");
            assertTrue(x.isReleased(), "the NCHW array is closed once copied");
            NDArray flat = m.create(InferencePlanTest.random(6, 2, 0), new ai.djl.ndarray.types.Shape(2, 3));
            assertSame(flat, Layout.CHANNELS_LAST.adopt(flat));
            NDArray y = m.create(v, new ai.djl.ndarray.types.Shape(2, 3, 4, 5));
            assertSame(y, Layout.CONTIGUOUS.adopt(y));
        }
    }

    @Test
    void theCpuPrefersChannelsLastUnlessSwitchedOff() {
        String old = System.getProperty("asr.channelsLast");
        try {
            System.clearProperty("asr.channelsLast");
            assertEquals(Layout.CHANNELS_LAST, Layout.preferred(Device.cpu()));
            assertEquals(Layout.CONTIGUOUS, Layout.preferred(Device.gpu()), "the GPU path keeps NCHW");
            System.setProperty("asr.channelsLast", "false");
            assertEquals(Layout.CONTIGUOUS, Layout.preferred(Device.cpu()));
        } finally {
            if (old == null) {
                System.clearProperty("asr.channelsLast");
            } else {
                System.setProperty("asr.channelsLast", old);
            }
        }
    }

    @Test
    void bothLayoutsComputeTheSameNetworkAndASetParameterKeepsTheLayout() {
        GraphBuilder b = new GraphBuilder("pair", 3);
        b.conv("c1", 3, 4, 3, 1, 1, 1, false);
        b.bn("b1", 4);
        b.relu();
        b.conv("c2", 4, 4, 3, 2, 1, 2, true);
        Graph g = b.build();
        StateDict sd = new StateDict();
        InferencePlanTest.conv(sd, "c1", 3, 4, 3, false, 1);
        InferencePlanTest.bn(sd, "b1", 4, 2);
        InferencePlanTest.conv(sd, "c2", 2, 4, 3, true, 6);
        Tensor pruned = new Tensor(new long[] {4, 3, 3, 3}, InferencePlanTest.random(108, 8, 0));
        float[] x = InferencePlanTest.random(2 * 3 * 6 * 6, 99, 0);
        float[][] out = new float[2][];
        Layout[] layouts = {Layout.CONTIGUOUS, Layout.CHANNELS_LAST};
        for (int i = 0; i < 2; i++) {
            try (Executor ex = new Executor(g, sd, Device.cpu(), layouts[i]); NDManager m = ex.manager().newSubManager()) {
                assertEquals(layouts[i], ex.layout());
                ex.setParameter("c1.weight", pruned);
                assertArrayEquals(pruned.data(), Executor.toFloats(ex.parameter("c1.weight")));
                NDArray in = ex.input(m, x, 2, 3, 6, 6);
                assertArrayEquals(x, in.toFloatArray());
                out[i] = ex.forward(in, Map.of(), Set.of(), null).toFloatArray();
            }
        }
        assertEquals(out[0].length, out[1].length);
        for (int i = 0; i < out[0].length; i++) {
            assertEquals(out[0][i], out[1][i], 1e-5 * Math.max(1, Math.abs(out[0][i])), "value " + i);
        }
    }
}
