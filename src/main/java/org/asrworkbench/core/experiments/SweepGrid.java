package org.asrworkbench.core.experiments;

import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings a sweep crosses: pruning kinds × sparsities × repair settings × calibration seeds.
 * {@code lambdas} apply to {@code asr} only; the other methods appear once each.
 */
public record SweepGrid(List<PruneKind> kinds, List<Double> sparsities, List<RepairMethod> methods,
                        List<Double> lambdas, List<String> seeds, int calibN) {

    public SweepGrid {
        kinds = List.copyOf(kinds);
        sparsities = List.copyOf(sparsities);
        methods = List.copyOf(methods);
        lambdas = List.copyOf(lambdas);
        seeds = List.copyOf(seeds);
        if (kinds.isEmpty() || sparsities.isEmpty() || methods.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one pruning kind, sparsity, method and seed");
        }
        if (methods.contains(RepairMethod.ASR) && lambdas.isEmpty()) {
            throw new IllegalArgumentException("asr in a sweep needs at least one lambda");
        }
        for (double l : lambdas) {
            if (!(l >= 0) || Double.isInfinite(l)) {
                throw new IllegalArgumentException("lambda must be a finite number >= 0, not " + l);
            }
        }
        for (double s : sparsities) {
            if (!(s >= 0 && s < 1)) {
                throw new IllegalArgumentException("sparsity must be in [0, 1), not " + s);
            }
        }
    }

    /** The repair settings of one (kind, sparsity, seed) cell group, in grid order. */
    public List<RepairSettings> repairSettings() {
        List<RepairSettings> out = new ArrayList<>();
        for (RepairMethod m : methods) {
            if (m == RepairMethod.ASR) {
                lambdas.forEach(l -> out.add(new RepairSettings(m, l)));
            } else {
                out.add(RepairSettings.of(m));
            }
        }
        return out;
    }

    public int cellCount() {
        return kinds.size() * sparsities.size() * seeds.size() * repairSettings().size();
    }
}
