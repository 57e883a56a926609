package org.asrworkbench.core.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.io.SafetensorsReader;
import org.asrworkbench.core.io.SafetensorsWriter;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The state of a training run after a finished epoch, kept in a work directory as
 * {@value #WEIGHTS} (model weights with PyTorch names, then SGD momentum buffers under
 * {@value #MOMENTUM_PREFIX}) and {@value #STATE} (epoch, the random state for the next epoch,
 * configuration and history). The JSON is written last, so it only ever names complete weights.
 *
 * @param graph       the graph's name (a resumed run must train the same architecture)
 * @param epoch       epochs finished
 * @param nextRngSeed seed of the random stream (shuffle and augmentation) of the next epoch
 */
public record Checkpoint(String graph, TrainConfig config, int epoch, long nextRngSeed, List<EpochStats> history,
                         StateDict weights, StateDict momentum) {

    public static final String WEIGHTS = "checkpoint.safetensors";
    public static final String STATE = "checkpoint.json";
    public static final String MOMENTUM_PREFIX = "optimizer.momentum.";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The JSON part. */
    record State(String graph, TrainConfig config, int epoch, long nextRngSeed, List<EpochStats> history,
                 String weights) {
    }

    public static boolean exists(Path workDir) {
        return Files.isRegularFile(workDir.resolve(STATE));
    }

    public void save(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        StateDict all = new StateDict();
        weights.asMap().forEach(all::put);
        momentum.asMap().forEach((k, v) -> all.put(MOMENTUM_PREFIX + k, v));
        SafetensorsWriter.write(workDir.resolve(WEIGHTS), all, Map.of("epoch", Integer.toString(epoch)));
        State state = new State(graph, config, epoch, nextRngSeed, history, WEIGHTS);
        AtomicFiles.write(workDir.resolve(STATE), out -> MAPPER.writeValue(out, state));
    }

    /**
     * Reads the checkpoint in {@code workDir}.
     *
     * @throws ModelFormatException naming the file when the JSON or the weights are unreadable or
     *                              disagree about the epoch
     */
    public static Checkpoint load(Path workDir) throws IOException, ModelFormatException {
        Path statePath = workDir.resolve(STATE);
        State s;
        try {
            s = MAPPER.readValue(statePath.toFile(), State.class);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(statePath, "not a training checkpoint: " + e.getOriginalMessage(), e);
        }
        Path weightsPath = workDir.resolve(s.weights() == null ? WEIGHTS : s.weights());
        StateDict all = SafetensorsReader.read(weightsPath);
        String epoch = all.metadata().get("epoch");
        if (!Integer.toString(s.epoch()).equals(epoch)) {
            throw new ModelFormatException(weightsPath, "holds epoch " + epoch + ", but " + STATE + " says "
                    + s.epoch() + " (an interrupted save?)");
        }
        StateDict weights = new StateDict();
        StateDict momentum = new StateDict();
        for (Map.Entry<String, Tensor> e : all.asMap().entrySet()) {
            if (e.getKey().startsWith(MOMENTUM_PREFIX)) {
                momentum.put(e.getKey().substring(MOMENTUM_PREFIX.length()), e.getValue());
            } else {
                weights.put(e.getKey(), e.getValue());
            }
        }
        return new Checkpoint(s.graph(), s.config(), s.epoch(), s.nextRngSeed(), s.history(), weights, momentum);
    }
}
