package org.asrworkbench.robustness.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of every file reader. Without {@code JAZZER_FUZZ} each method
 * runs as a regression test over its committed seeds ({@code ReaderFuzzTestInputs/<method>/} in the
 * test resources: small valid files, plus any crash the fuzzer once found); with
 * {@code JAZZER_FUZZ=1} one method (choose it with {@code -Dtest=ReaderFuzzTest#method}) fuzzes for
 * {@value #BUDGET}, as {@code .ci/fuzz} does for each in turn. The contract is {@link Outcomes}'.
 */
class ReaderFuzzTest {
    /** Fuzzing time per target. */
    static final String BUDGET = "25s";

    @FuzzTest(maxDuration = BUDGET)
    void safetensors(byte[] data) throws Exception {
        Outcomes.check(Target.SAFETENSORS, data);
    }

    @FuzzTest(maxDuration = BUDGET)
    void torchZip(byte[] data) throws Exception {
        Outcomes.check(Target.TORCH_ZIP, data);
    }

    @FuzzTest(maxDuration = BUDGET)
    void torchLegacy(byte[] data) throws Exception {
        Outcomes.check(Target.TORCH_LEGACY, data);
    }

    @FuzzTest(maxDuration = BUDGET)
    void pickle(byte[] data) throws Exception {
        Outcomes.check(Target.PICKLE, data);
    }

    @FuzzTest(maxDuration = BUDGET)
    void cifarBinary(byte[] data) throws Exception {
        Outcomes.check(Target.CIFAR_BINARY, data);
    }

    @FuzzTest(maxDuration = BUDGET)
    void cifarPickle(byte[] data) throws Exception {
        Outcomes.check(Target.CIFAR_PICKLE, data);
    }

    @FuzzTest(maxDuration = BUDGET)
    void idx(byte[] data) throws Exception {
        Outcomes.check(Target.IDX, data);
    }

    @FuzzTest(maxDuration = BUDGET)
    void imageFolder(byte[] data) throws Exception {
        Outcomes.check(Target.IMAGE_FOLDER, data);
    }

    @FuzzTest(maxDuration = BUDGET)
    void onnx(byte[] data) throws Exception {
        Outcomes.check(Target.ONNX, data);
    }

    @FuzzTest(maxDuration = BUDGET)
    void sessionJson(byte[] data) throws Exception {
        Outcomes.check(Target.SESSION_JSON, data);
    }

    @FuzzTest(maxDuration = BUDGET)
    void statsJson(byte[] data) throws Exception {
        Outcomes.check(Target.STATS_JSON, data);
    }

    @AfterAll
    static void report() {
        Outcomes.print(System.err);
    }
}
