package org.asrworkbench.cli;

import org.asrworkbench.core.experiments.AutoSelect;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.repair.RepairSettings;
import picocli.CommandLine.Option;

import java.util.List;

/** Options of {@code auto} ({@code repair --method auto} and {@code select}): the selection set and the candidates. */
public final class AutoOptions {
    @Option(names = "--select-n", paramLabel = "N_SEL", converter = SettingOptions.CalibrationSize.class, defaultValue = "512",
            description = "auto: selection images drawn after the N calibration images (default: ${DEFAULT-VALUE})")
    int selectN;

    @Option(names = "--candidates", paramLabel = "LIST", defaultValue = "default",
            description = "auto: comma-separated candidates: a method (its defaults), method:NAME=VALUE[:NAME=VALUE],"
                    + " asr:L, rule:FILE, rule:FILE:lambda=0.3, and default = bn-recal,layer-wise,channel-wise,asr:0.1,"
                    + "asr:0.25,asr:0.5,asr:1,asr:2,asr:4 (e.g. default,stat-corr,rule:rules/asr.json:lambda=0.3)")
    String candidates;

    /** The candidates, each on the units of {@code --units}. */
    List<RepairSettings> candidateList(UnitSelection units) {
        return AutoSelect.parseCandidates(candidates).stream().map(c -> c.withUnits(units)).toList();
    }
}
