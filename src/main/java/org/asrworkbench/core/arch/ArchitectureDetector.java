package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Recognises a built-in architecture from a {@code state_dict}'s names and shapes alone, then
 * proves the guess by binding the checkpoint to the guessed graph ({@link ModelBinder#check}).
 *
 * <p>The clues are the families' own ({@link FamilyBuilder#detect}): every family in the
 * registry reads the checkpoint, and the one that claims it (the first whose claim binds, should
 * two claim it) is the answer. When none does, the message lists what the families whose clue
 * chains went furthest recognised, and every family's layout.
 */
public final class ArchitectureDetector {
    private ArchitectureDetector() {
    }

    /**
     * The checkpoint's architecture, complete with input channels and classes.
     *
     * @throws ArchitectureException when no built-in architecture matches; the message lists what
     *                               was recognised, or the first key that contradicts the guess
     */
    public static ArchSpec detect(StateDict weights) throws ArchitectureException {
        Map<ArchSpec.Family, Detection> detections = new EnumMap<>(ArchSpec.Family.class);
        for (ArchSpec.Family family : ArchSpec.Family.values()) {
            detections.put(family, detect(family, weights));
        }
        List<Detection> claims = detections.values().stream().filter(d -> d.spec() != null)
                .sorted(Comparator.comparingInt(Detection::clues).reversed()).toList();
        if (claims.isEmpty()) {
            int furthest = detections.values().stream().mapToInt(Detection::clues).max().orElse(0);
            Set<String> recognised = new LinkedHashSet<>();
            detections.values().stream().filter(d -> furthest > 0 && d.clues() == furthest)
                    .forEach(d -> recognised.addAll(d.notes()));
            StringJoiner layouts = new StringJoiner(", ");
            for (ArchSpec.Family family : ArchSpec.Family.values()) {
                layouts.add(family.builder().layout());
            }
            throw new ArchitectureException("unknown architecture (" + weights.size() + " tensors); recognised: "
                    + (recognised.isEmpty() ? "nothing" : String.join("; ", recognised))
                    + ". Known layouts: " + layouts);
        }
        ArchitectureException first = null;
        for (Detection claim : claims) {
            try {
                ModelBinder.check(Architectures.build(claim.spec()), weights);
                return claim.spec();
            } catch (ArchitectureException e) {
                if (first == null) {
                    first = new ArchitectureException(e.key(), "looks like " + claim.spec() + " (recognised: "
                            + String.join("; ", claim.notes()) + ") but " + e.getMessage());
                }
            }
        }
        throw first;
    }

    /**
     * One family's reading of the checkpoint; a malformed tensor where a clue expects another
     * rank (for example) stops that family's chain with a note instead of failing detection.
     */
    static Detection detect(ArchSpec.Family family, StateDict weights) {
        try {
            return family.builder().detect(weights);
        } catch (RuntimeException e) {
            return new Detection().saw(family.builder().title() + ": " + e.getMessage());
        }
    }

    /**
     * Fills the input channels and classes a requested spec leaves open from the checkpoint's
     * first layer and classifier. Check the result with {@link ModelBinder#check}.
     *
     * @throws ArchitectureException when the checkpoint lacks the layer they are read from
     */
    public static ArchSpec complete(ArchSpec requested, StateDict weights) throws ArchitectureException {
        if (requested.isComplete()) {
            return requested;
        }
        Graph probe = Architectures.build(requested.withIO(Math.max(1, requested.inputChannels()),
                Math.max(1, requested.numClasses())));
        List<Node> layers = probe.weightLayers();
        int in = requested.inputChannels() > 0 ? requested.inputChannels()
                : (int) weight(requested, weights, layers.get(0)).dim(1);
        int classes = requested.numClasses() > 0 ? requested.numClasses()
                : (int) weight(requested, weights, layers.get(layers.size() - 1)).dim(0);
        return requested.withIO(in, classes);
    }

    private static Tensor weight(ArchSpec spec, StateDict weights, Node layer) throws ArchitectureException {
        String key = org.asrworkbench.core.graph.Graph.weightLayer(layer).weight();
        Tensor t = weights.get(key);
        if (t == null || t.rank() < 2) {
            throw new ArchitectureException(key, spec + ": the checkpoint "
                    + (t == null ? "lacks '" + key + "'" : "has '" + key + "' of shape " + t.shapeString())
                    + ", so its input channels and classes cannot be read");
        }
        return t;
    }
}
