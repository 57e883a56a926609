package org.asrworkbench.core.arch;

import org.asrworkbench.core.arch.ArchSpec.Family;
import org.asrworkbench.core.arch.ArchSpec.Variant;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enumerates the family registry: each family's own clues recognise the checkpoints its builder
 * makes and a hand-made key set of its layout, and no other family claims them. A new family
 * joins these tests by being in {@link Family}; the hand-made key sets must name it too.
 */
class FamilyRegistryDetectionTest {
    /** Each family's smallest depth in every layout it has, at a quarter width (small weights). */
    private static List<ArchSpec> builtSpecs(Family family) {
        int depth = IntStream.rangeClosed(0, 200).filter(family.builder()::validDepth).findFirst().orElseThrow();
        List<ArchSpec> specs = new ArrayList<>();
        for (Variant v : family.builder().variants()) {
            specs.add(new ArchSpec(family, depth, v, 3, 10, 0.25));
        }
        return specs;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Family.class)
    void everyFamilyDetectsWhatItsBuilderMakesAndNoOtherClaimsIt(Family family) throws Exception {
        for (ArchSpec spec : builtSpecs(family)) {
            StateDict sd = RandomWeights.of(Architectures.build(spec), 7);
            ArchSpec detected = ArchitectureDetector.detect(sd);
            assertEquals(family, detected.family(), spec.toString());
            assertEquals(spec.depth(), detected.depth(), spec.toString());
            assertEquals(spec.width(), detected.width(), spec.toString());
            assertEquals(Architectures.build(spec).parameterShapes().keySet(),
                    Architectures.build(detected).parameterShapes().keySet(), spec.toString());
            assertOnlyClaimedBy(family, sd, spec.toString());
        }
    }

    /** The fewest keys of each family's layout that its clues need (no weights beyond them). */
    private static Map<Family, StateDict> handMade() {
        Map<Family, StateDict> m = new EnumMap<>(Family.class);
        m.put(Family.CIFAR_RESNET, keys("conv1.weight", 16, 3, 3, 3, "layer1.0.conv1.weight", 16, 16, 3, 3,
                "layer2.0.conv1.weight", 32, 16, 3, 3, "layer3.0.conv1.weight", 64, 32, 3, 3,
                "linear.weight", 10, 64));
        m.put(Family.RESNET, keys("conv1.weight", 64, 3, 7, 7, "layer1.0.conv1.weight", 64, 64, 3, 3,
                "layer1.1.conv1.weight", 64, 64, 3, 3, "layer2.0.conv1.weight", 128, 64, 3, 3,
                "layer2.1.conv1.weight", 128, 128, 3, 3, "layer3.0.conv1.weight", 256, 128, 3, 3,
                "layer3.1.conv1.weight", 256, 256, 3, 3, "layer4.0.conv1.weight", 512, 256, 3, 3,
                "layer4.1.conv1.weight", 512, 512, 3, 3, "fc.weight", 1000, 512));
        StateDict vgg = new StateDict();
        int[] convAt = {0, 4, 8, 11, 15, 18, 22, 25};
        for (int i = 0; i < convAt.length; i++) {
            vgg.put("features." + convAt[i] + ".weight", zeros(64, i == 0 ? 3 : 64, 3, 3));
        }
        vgg.put("classifier.weight", zeros(10, 64));
        m.put(Family.VGG_BN, vgg);
        m.put(Family.MOBILENET_V2, keys("features.0.0.weight", 32, 3, 3, 3, "features.1.conv.0.0.weight", 32, 1, 3, 3,
                "features.1.conv.1.weight", 320, 32, 1, 1, "classifier.1.weight", 100, 1280));
        return m;
    }

    private static final Map<Family, ArchSpec> HAND_MADE_SPECS = Map.of(
            Family.CIFAR_RESNET, new ArchSpec(Family.CIFAR_RESNET, 8, Variant.CIFAR, 3, 10, 1.0),
            Family.RESNET, new ArchSpec(Family.RESNET, 18, Variant.IMAGENET, 3, 1000, 1.0),
            Family.VGG_BN, new ArchSpec(Family.VGG_BN, 11, Variant.CIFAR, 3, 10, 1.0),
            Family.MOBILENET_V2, new ArchSpec(Family.MOBILENET_V2, 0, Variant.IMAGENET, 3, 100, 1.0));

    @Test
    void everyFamilyHasAHandMadeKeySet() {
        assertEquals(EnumSet.allOf(Family.class), handMade().keySet(), "add the new family's key set here");
        assertEquals(EnumSet.allOf(Family.class), EnumSet.copyOf(HAND_MADE_SPECS.keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Family.class)
    void everyFamilyClaimsItsHandMadeKeySetAndNoOtherDoes(Family family) {
        StateDict keys = handMade().get(family);
        assertEquals(HAND_MADE_SPECS.get(family), family.builder().detect(keys).spec());
        assertOnlyClaimedBy(family, keys, family + "'s hand-made keys");
    }

    @Test
    void everyFamilyIsSilentOnAnEmptyCheckpointAndNamesItsLayout() {
        for (Family family : Family.values()) {
            Detection d = family.builder().detect(new StateDict());
            assertEquals(0, d.clues(), family.toString());
            assertNull(d.spec(), family.toString());
            ArchitectureException e = assertThrows(ArchitectureException.class,
                    () -> ArchitectureDetector.detect(new StateDict()));
            assertTrue(e.getMessage().contains(family.builder().layout()), e.getMessage());
        }
    }

    private static void assertOnlyClaimedBy(Family owner, StateDict sd, String what) {
        for (Family other : Family.values()) {
            if (other != owner) {
                assertNull(ArchitectureDetector.detect(other, sd).spec(), other + " claims " + what);
            }
        }
    }

    /** A state dict of zero tensors from (name, dims...) groups. */
    private static StateDict keys(Object... nameThenDims) {
        StateDict sd = new StateDict();
        int i = 0;
        while (i < nameThenDims.length) {
            String name = (String) nameThenDims[i++];
            List<Integer> dims = new ArrayList<>();
            while (i < nameThenDims.length && nameThenDims[i] instanceof Integer d) {
                dims.add(d);
                i++;
            }
            sd.put(name, zeros(dims.stream().mapToInt(Integer::intValue).toArray()));
        }
        return sd;
    }

    private static Tensor zeros(int... dims) {
        long[] shape = IntStream.of(dims).asLongStream().toArray();
        return new Tensor(shape, new float[Math.toIntExact(Tensor.numel(shape))]);
    }
}
