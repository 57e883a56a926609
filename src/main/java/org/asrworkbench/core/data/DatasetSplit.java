package org.asrworkbench.core.data;

import java.util.Locale;

/**
 * Which split of a dataset directory to read: {@code test} for evaluation (the default),
 * {@code train} for calibration (the calibration set is never drawn from the evaluation split).
 */
public enum DatasetSplit {
    TRAIN("train", "train"),
    TEST("test", "t10k");

    private final String cliName;
    private final String idxPrefix;

    DatasetSplit(String cliName, String idxPrefix) {
        this.cliName = cliName;
        this.idxPrefix = idxPrefix;
    }

    /** The name used on the command line and in messages ({@code train}, {@code test}). */
    public String cliName() {
        return cliName;
    }

    /** The file name prefix of this split in the MNIST layout ({@code train}, {@code t10k}). */
    public String idxPrefix() {
        return idxPrefix;
    }

    /** Parses {@code train} or {@code test} (any case). */
    public static DatasetSplit parse(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        for (DatasetSplit s : values()) {
            if (s.cliName.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown split '" + name + "' (train or test)");
    }
}
