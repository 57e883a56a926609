package org.asrworkbench.core.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChannelMomentsTest {
    private static final int N = 23;
    private static final int C = 3;
    private static final int S = 5;

    /** Random paired data, NCHW: channel 0 correlated, 1 offset and scaled, 2 constant (0 in P). */
    private static float[][] data() {
        Random rnd = new Random(42);
        float[] zd = new float[N * C * S];
        float[] zp = new float[N * C * S];
        for (int i = 0; i < N; i++) {
            for (int s = 0; s < S; s++) {
                int b = i * C * S;
                float d0 = (float) (3 + rnd.nextGaussian());
                zd[b + s] = d0;
                zp[b + s] = (float) (0.5 * d0 + 0.1 * rnd.nextGaussian());
                zd[b + S + s] = (float) (1000 + 2 * rnd.nextGaussian());
                zp[b + S + s] = (float) (-7 + rnd.nextGaussian());
                zd[b + 2 * S + s] = (float) rnd.nextGaussian();
                zp[b + 2 * S + s] = 0f;
            }
        }
        return new float[][] {zd, zp};
    }

    private static ChannelMoments inChunks(float[] zd, float[] zp, int chunk) {
        ChannelMoments m = new ChannelMoments(C);
        for (int start = 0; start < N; start += chunk) {
            int n = Math.min(chunk, N - start);
            int from = start * C * S;
            int to = (start + n) * C * S;
            m.addValues(Arrays.copyOfRange(zd, from, to), Arrays.copyOfRange(zp, from, to), n, C, S);
        }
        return m;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        for (int c = 0; c < expected.length; c++) {
            double tol = 1e-12 * Math.max(1, Math.abs(expected[c]));
            assertEquals(expected[c], actual[c], tol, what + "[" + c + "]");
        }
    }

    private static void assertSameStats(ChannelMoments a, ChannelMoments b) {
        assertEquals(a.count(), b.count());
        assertClose(a.muD(), b.muD(), "muD");
        assertClose(a.s2D(), b.s2D(), "s2D");
        assertClose(a.muP(), b.muP(), "muP");
        assertClose(a.s2P(), b.s2P(), "s2P");
        assertClose(a.rho(), b.rho(), "rho");
    }

    @Test
    void chunkingDoesNotChangeTheStatistics() {
        float[][] d = data();
        ChannelMoments whole = inChunks(d[0], d[1], N);
        assertSameStats(whole, inChunks(d[0], d[1], 1));
        assertSameStats(whole, inChunks(d[0], d[1], 7));
        assertEquals((long) N * S, whole.count());
    }

    @Test
    void matchesANaiveTwoPassComputation() {
        float[][] d = data();
        ChannelMoments m = inChunks(d[0], d[1], 7);
        double[] muD = new double[C];
        double[] muP = new double[C];
        double[] s2D = new double[C];
        double[] s2P = new double[C];
        double[] rho = new double[C];
        int count = N * S;
        for (int c = 0; c < C; c++) {
            for (int i = 0; i < N; i++) {
                for (int s = 0; s < S; s++) {
                    muD[c] += d[0][(i * C + c) * S + s];
                    muP[c] += d[1][(i * C + c) * S + s];
                }
            }
            muD[c] /= count;
            muP[c] /= count;
            double co = 0;
            for (int i = 0; i < N; i++) {
                for (int s = 0; s < S; s++) {
                    double a = d[0][(i * C + c) * S + s] - muD[c];
                    double b = d[1][(i * C + c) * S + s] - muP[c];
                    s2D[c] += a * a;
                    s2P[c] += b * b;
                    co += a * b;
                }
            }
            rho[c] = s2D[c] > 0 && s2P[c] > 0 ? co / Math.sqrt(s2D[c] * s2P[c]) : 0;
            s2D[c] /= count;
            s2P[c] /= count;
        }
        assertClose(muD, m.muD(), "muD");
        assertClose(s2D, m.s2D(), "s2D");
        assertClose(muP, m.muP(), "muP");
        assertClose(s2P, m.s2P(), "s2P");
        assertClose(rho, m.rho(), "rho");
        assertEquals(0.0, m.s2P()[2], "a constant channel has variance exactly 0");
        assertEquals(0.0, m.rho()[2], "rho is 0 where a variance is 0");
    }

    @Test
    void constantChannelsHaveExactlyZeroVariance() {
        ChannelMoments m = new ChannelMoments(1);
        float[] v = new float[7];
        Arrays.fill(v, 0.1f);
        for (int chunk = 0; chunk < 5; chunk++) {
            m.addValues(v, v, 7, 1, 1);
        }
        assertEquals(0.0, m.s2D()[0]);
        assertEquals(0.0, m.s2P()[0]);
        assertEquals(0.1f, m.muD()[0], 0.0);
    }

    @Test
    void mergeAndAddChunkAgreeWithAddValues() {
        float[][] d = data();
        int half = 11 * C * S;
        ChannelMoments a = new ChannelMoments(C);
        a.addValues(Arrays.copyOfRange(d[0], 0, half), Arrays.copyOfRange(d[1], 0, half), 11, C, S);
        ChannelMoments b = new ChannelMoments(C);
        b.addValues(Arrays.copyOfRange(d[0], half, d[0].length), Arrays.copyOfRange(d[1], half, d[1].length),
                N - 11, C, S);
        a.merge(b);
        assertSameStats(inChunks(d[0], d[1], N), a);

        // a chunk of two values per channel, 1 and 3 in D, 2 and 2 in P: mean 2, M2 2 and 0, co 0
        ChannelMoments m = new ChannelMoments(1);
        m.addChunk(2, new double[] {2}, new double[] {2}, new double[] {2}, new double[] {0}, new double[] {0});
        m.addChunk(2, new double[] {4}, new double[] {0}, new double[] {2}, new double[] {0}, new double[] {0});
        // values D = 1, 3, 4, 4: mean 3, population variance (4 + 0 + 1 + 1) / 4 = 1.5
        assertArrayEquals(new double[] {3}, m.muD());
        assertArrayEquals(new double[] {1.5}, m.s2D());
        assertArrayEquals(new double[] {0}, m.s2P());
        assertArrayEquals(new double[] {0}, m.rho());
    }

    @Test
    void rejectsMismatchedChunks() {
        ChannelMoments m = new ChannelMoments(2);
        assertThrows(IllegalArgumentException.class, () -> m.addValues(new float[4], new float[4], 1, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> m.addValues(new float[4], new float[3], 2, 2, 1));
        assertThrows(IllegalStateException.class, m::s2D);
    }
}
