package org.asrworkbench.core.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairSettings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One cell of a {@link SweepGrid}: its position in grid order and its settings. The id is the
 * first 16 hex digits of the SHA-256 of {@link #canonical()}, so it depends on the settings only,
 * never on the position, the machine or the run.
 */
public record SweepCell(int index, String id, SweepModel model, PruneKind kind, double sparsity,
                        RepairSettings repair, int calibN, String seed, boolean unitsDiffer) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param unitsDiffer true when the model's units differ between {@code --units all} and
     *                    {@code bn} (it has virtual units); only then does an {@code all} cell's id
     *                    record the units
     */
    static SweepCell of(int index, SweepModel model, PruneKind kind, double sparsity, RepairSettings repair,
                        int calibN, String seed, boolean unitsDiffer) {
        return new SweepCell(index, idOf(canonical(model, kind, sparsity, repair, calibN, seed, unitsDiffer)), model,
                kind, sparsity, repair, calibN, seed, unitsDiffer);
    }

    /**
     * The settings as one JSON array: version tag, model key, kind, sparsity, method key, parameter
     * values, N, seed. The parameter values are null for a method without parameters, the value as
     * a string for a method with one (so {@code asr}'s ids are those of the versions before methods
     * had named parameters), and an object of name: value strings, by name, for more. A cell
     * that repairs virtual units ({@code --units all} on a model that has some) ends with
     * {@code {"units": "all"}}; every other cell has no units entry, so its id is that of the
     * versions before units had kinds (which repaired BN units only, the {@code bn} choice).
     */
    public String canonical() {
        return canonical(model, kind, sparsity, repair, calibN, seed, unitsDiffer);
    }

    private static String canonical(SweepModel model, PruneKind kind, double sparsity, RepairSettings repair,
                                    int calibN, String seed, boolean unitsDiffer) {
        List<Object> key = new ArrayList<>();
        key.add("asr-sweep-cell/1");
        key.addAll(model.key());
        key.add(kind.id());
        key.add(Double.toString(sparsity));
        key.add(repair.method().key());
        key.add(paramsKey(repair));
        key.add(calibN);
        key.add(seed);
        if (unitsDiffer && repair.units() == UnitSelection.ALL) {
            key.add(Map.of("units", repair.units().id()));
        }
        try {
            return MAPPER.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object paramsKey(RepairSettings repair) {
        Map<String, Double> p = repair.params();
        if (p.isEmpty()) {
            return null;
        }
        if (p.size() == 1) {
            return Double.toString(p.values().iterator().next());
        }
        Map<String, String> sorted = new TreeMap<>();
        p.forEach((k, v) -> sorted.put(k, Double.toString(v)));
        return sorted;
    }

    private static String idOf(String canonical) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A short human description, e.g. {@code global-magnitude 0.9 asr (lambda 0.25) N 64 seed 0}. */
    public String describe() {
        return kind.id() + " " + sparsity + " " + repair.label() + " N " + calibN + " seed " + seed;
    }
}
