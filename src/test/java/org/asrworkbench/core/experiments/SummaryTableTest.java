package org.asrworkbench.core.experiments;

import org.asrworkbench.core.experiments.SweepOutputs.SummaryRow;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SummaryTableTest {
    private static SummaryRow row(String model, double sparsity, String series, double mean, double std) {
        return new SummaryRow(model, "global-magnitude", sparsity, series, 3, mean, std, 0.30, 0.812);
    }

    private static final List<SummaryRow> SUMMARY = List.of(
            row("models/resnet20-12fca82f.th", 0.5, "none", 0.30, 0.0),
            row("models/resnet20-12fca82f.th", 0.5, "channel-wise", 0.7512, 0.0041),
            row("models/resnet20-12fca82f.th", 0.5, "asr (lambda 0.25)", 0.7508, 0.0123),
            row("models/resnet20-12fca82f.th", 0.9, "none", 0.10, 0.0),
            row("models/resnet20-12fca82f.th", 0.9, "asr (lambda 0.25)", 0.381, 0.02));

    @Test
    void pivotsOneLinePerModelKindAndSparsityWithMissingCellsDashed() {
        String md = SummaryTable.markdown(SUMMARY, new SummaryTable.Format(List.of(), false, 1, false));
        assertEquals("""
                | model | pruning | sparsity | dense | `none` | `channel-wise` | `asr (lambda 0.25)` |
                |---|---|---:|---:|---:|---:|---:|
                | resnet20 | global-magnitude | 0.5 | 81.2 | 30.0 | 75.1 | 75.1 |
                | resnet20 | global-magnitude | 0.9 | 81.2 | 10.0 | – | 38.1 |
                """, md);
    }

    @Test
    void boldsEveryRepairedCellTiedAtThePrintedPrecisionButNeverNone() {
        String md = SummaryTable.markdown(SUMMARY, new SummaryTable.Format(
                List.of("none", "asr (lambda 0.25)", "channel-wise"), true, 1, true));
        assertEquals("""
                | model | pruning | sparsity | dense | `none` | `asr (lambda 0.25)` | `channel-wise` |
                |---|---|---:|---:|---:|---:|---:|
                | resnet20 | global-magnitude | 0.5 | 81.2 | 30.0 ± 0.0 | **75.1 ± 1.2** | **75.1 ± 0.4** |
                | resnet20 | global-magnitude | 0.9 | 81.2 | 10.0 ± 0.0 | **38.1 ± 2.0** | – |
                """, md);
        String twoDigits = SummaryTable.markdown(SUMMARY, new SummaryTable.Format(List.of(), false, 2, true));
        assertEquals("| resnet20 | global-magnitude | 0.5 | 81.20 | 30.00 | **75.12** | 75.08 |",
                twoDigits.lines().toList().get(2));
    }

    @Test
    void ordersSparsitiesAscendingWithinEachModelAndKind() {
        List<SummaryRow> merged = List.of(
                row("b.safetensors", 0.9, "none", 0.1, 0), row("a.safetensors", 0.7, "none", 0.5, 0),
                row("b.safetensors", 0.3, "none", 0.8, 0), row("a.safetensors", 0.5, "none", 0.6, 0),
                new SummaryRow("b.safetensors", "filter-l1", 0.2, "none", 1, 0.4, 0, 0.4, 0.9),
                row("b.safetensors", 0.6, "none", 0.3, 0));
        List<String> lines = SummaryTable.markdown(merged, new SummaryTable.Format(List.of(), false, 0, false))
                .lines().skip(2).map(l -> String.join("|", java.util.Arrays.copyOfRange(l.split("\\|"), 1, 4)))
                .toList();
        assertEquals(List.of(" b | global-magnitude | 0.3 ", " b | global-magnitude | 0.6 ", " b | global-magnitude | 0.9 ",
                " a | global-magnitude | 0.5 ", " a | global-magnitude | 0.7 ", " b | filter-l1 | 0.2 "), lines);
    }

    @Test
    void namesModelsByFileWithoutExtensionOrHash() {
        assertEquals("resnet56", SummaryTable.modelName("/x/y/resnet56-4bfd9763.th"));
        assertEquals("vgg11_bn-cifar-w0.25-fashion", SummaryTable.modelName("vgg11_bn-cifar-w0.25-fashion.safetensors"));
        assertEquals("mobilenet_v2-w0.5", SummaryTable.modelName("mobilenet_v2-w0.5"));
    }

    @Test
    void roundsHalfUpFromTheShortestDecimalForm() {
        assertEquals("27.4", SummaryTable.percent(0.2735, 1));
        assertEquals("27.3", SummaryTable.percent(0.27349, 1));
        assertEquals("10.00", SummaryTable.percent(0.1, 2));
        assertEquals("NaN", SummaryTable.percent(Double.NaN, 1));
    }

    @Test
    void rejectsAbsurdPrecision() {
        assertThrows(IllegalArgumentException.class, () -> new SummaryTable.Format(List.of(), false, 9, false));
    }
}
