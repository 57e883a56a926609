package org.asrworkbench.app.model;

/** The state of the compute service's current (or last) job. */
public enum JobStatus {
    IDLE("Ready"),
    RUNNING("Running"),
    SUCCEEDED("Done"),
    FAILED("Failed"),
    CANCELLED("Cancelled");

    private final String label;

    JobStatus(String label) {
        this.label = label;
    }

    /** The word the status bar shows. */
    public String label() {
        return label;
    }
}
