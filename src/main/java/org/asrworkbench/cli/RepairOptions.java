package org.asrworkbench.cli;

import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.stats.SequentialPass;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Pruning, repair and calibration options shared by {@code prune}, {@code repair} and {@code sweep}. */
public final class RepairOptions {
    @Option(names = "--prune", paramLabel = "KIND", defaultValue = "global-magnitude",
            description = "pruning kind: global-magnitude, layer-uniform, filter-l1 (default: ${DEFAULT-VALUE})")
    String prune;

    @Option(names = "--sparsity", paramLabel = "S", defaultValue = "0.9", converter = SettingOptions.Sparsity.class, description = "requested sparsity in [0, 1) (default: ${DEFAULT-VALUE})")
    double sparsity;

    @Option(names = "--exclude-first-conv", description = "global-magnitude/layer-uniform: never prune the first conv")
    boolean excludeFirstConv;

    @Option(names = "--exclude-classifier", description = "global-magnitude/layer-uniform: never prune the classifier")
    boolean excludeClassifier;

    @Option(names = "--calib-data", paramLabel = "FILE|DIR", description = "calibration images from a training split (default: the train split of --data when it has one)")
    Path calibData;

    @Option(names = "--calib-n", paramLabel = "N", defaultValue = "1024", converter = SettingOptions.CalibrationSize.class, description = "calibration images (default: ${DEFAULT-VALUE})")
    int calibN;

    @Option(names = "--calib-seed", paramLabel = "SEED|none", defaultValue = "0", description = "calibration seed, or none for the first N in file order (default: ${DEFAULT-VALUE})")
    String calibSeed;

    @Option(names = "--chunk-size", paramLabel = "B", defaultValue = "128", description = "images per chunk in the statistics pass (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--memory-budget", paramLabel = "MB", converter = SettingOptions.MemoryBudget.class, description = "frontier (and auto's dense cache) kept in memory before spilling to disk, in MiB (default: an eighth of physical memory, 1-16 GiB)")
    Long memoryBudgetMb;

    @Option(names = "--units", paramLabel = "all|bn", defaultValue = "all", description = "the units repaired: all (BatchNorm"
            + " and virtual units, a virtual BN after every conv/linear layer without its own BN but the classifier) or bn"
            + " (BatchNorm units only, as in the paper); sweep takes a comma-separated list as a grid axis (default:"
            + " ${DEFAULT-VALUE})")
    String units;

    /** The {@code --units} choices, in the order given (a sweep's axis). */
    List<UnitSelection> unitSelections() {
        return Arrays.stream(units.split(",")).map(UnitSelection::parse).distinct().toList();
    }

    /** The one {@code --units} choice of a command that is no sweep. */
    UnitSelection unitSelection() {
        List<UnitSelection> all = unitSelections();
        if (all.size() != 1) {
            throw new IllegalArgumentException("--units takes one value here (all or bn), not '" + units + "'");
        }
        return all.get(0);
    }

    /** The budget in bytes: the option, else the machine's default. */
    long memoryBudgetBytes() {
        return memoryBudgetMb != null ? memoryBudgetMb << 20
                : SequentialPass.Config.DEFAULT.memoryBudgetBytes();
    }
}
