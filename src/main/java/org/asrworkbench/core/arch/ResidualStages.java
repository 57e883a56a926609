package org.asrworkbench.core.arch;

import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The name clues both ResNet families share: a stem conv {@code conv1}, stages of blocks
 * {@code layerX.Y.conv1} (Bottleneck when {@code layer1.0.conv3} exists) and a classifier, whose
 * name tells the families apart.
 *
 * @param stem       the stem conv's weight
 * @param perStage   blocks per stage
 * @param bottleneck whether the blocks are Bottlenecks
 * @param classifier the classifier's weight
 */
record ResidualStages(Tensor stem, int[] perStage, boolean bottleneck, Tensor classifier) {
    /**
     * Reads the stem, the stages and the classifier {@code classifier} into {@code d}; null (with
     * a note on what is missing) when they are not all there.
     */
    static ResidualStages read(StateDict w, Detection d, String classifier) {
        Tensor conv1 = w.get("conv1.weight");
        if (conv1 == null) {
            return null;
        }
        if (!w.contains("layer1.0.conv1.weight")) {
            d.saw("a stem conv 'conv1' " + conv1.shapeString()).stopped("no layer1.0.conv1");
            return null;
        }
        d.saw("stem conv 'conv1' " + conv1.shapeString());
        List<Integer> blocks = new ArrayList<>();
        while (w.contains("layer" + (blocks.size() + 1) + ".0.conv1.weight")) {
            int b = 0;
            while (w.contains("layer" + (blocks.size() + 1) + "." + b + ".conv1.weight")) {
                b++;
            }
            blocks.add(b);
        }
        boolean bottleneck = w.contains("layer1.0.conv3.weight");
        d.saw(blocks.size() + " residual stages of " + blocks + (bottleneck ? " bottleneck" : " basic") + " blocks");
        Tensor head = w.get(classifier + ".weight");
        if (head == null) {
            d.stopped("no classifier '" + classifier + "'");
            return null;
        }
        d.saw("classifier '" + classifier + "' " + head.shapeString());
        return new ResidualStages(conv1, blocks.stream().mapToInt(Integer::intValue).toArray(), bottleneck, head);
    }
}
