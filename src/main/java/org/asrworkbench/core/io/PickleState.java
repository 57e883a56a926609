package org.asrworkbench.core.io;

/** An object built by an allowed global that accepts the pickle {@code BUILD} opcode's state. */
interface PickleState {
    /** Applies the state; throws {@code PickleException} when it does not have the expected form. */
    void setState(Object state);
}
