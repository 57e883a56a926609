package org.asrworkbench.core.repair;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The repair methods of the spec, named as in the UI, the CLI and the JSON reports. */
public enum RepairMethod {
    /** The pruned network as it is: {@code (m_c, v_c, 1)}. */
    NONE("none"),
    /** BatchNorm recalibration: {@code (mu_p, s2_p, 1)}. */
    BN_RECAL("bn-recal"),
    /** One variance-matching correction per unit: {@code (mu_p, v_c, 1 / R_u)}. */
    LAYER_WISE("layer-wise"),
    /** Naive channel-wise variance matching: {@code (mu_p, v_c, 1 / r_c)}. */
    CHANNEL_WISE("channel-wise"),
    /** Adaptive Signal Resuscitation: {@code (mu_p, v_c, g_c)}. */
    ASR("asr");

    private final String id;

    RepairMethod(String id) {
        this.id = id;
    }

    /** The name used in the UI, the CLI and the JSON reports. */
    public String id() {
        return id;
    }

    /** The method named {@code id}; an error lists the valid names. */
    public static RepairMethod parse(String id) {
        for (RepairMethod m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown repair method '" + id + "' (expected one of "
                + Arrays.stream(values()).map(RepairMethod::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
