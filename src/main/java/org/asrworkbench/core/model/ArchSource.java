package org.asrworkbench.core.model;

/** Where a loaded model's architecture came from, in the order {@link ModelLoader} tries them. */
public enum ArchSource {
    /** named by the caller ({@code --arch}) */
    OPTION("from --arch"),
    /** the {@code architecture} of the sidecar JSON beside the model */
    SIDECAR("from the sidecar"),
    /** detected from the tensor names and shapes */
    WEIGHTS("detected from the weights"),
    /** the file holds its graph (ONNX) */
    GRAPH("read from the file's graph");

    private final String description;

    ArchSource(String description) {
        this.description = description;
    }

    /** For messages: "from --arch", "from the sidecar", "detected from the weights", "read from the file's graph". */
    public String description() {
        return description;
    }
}
