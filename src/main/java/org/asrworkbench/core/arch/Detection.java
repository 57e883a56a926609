package org.asrworkbench.core.arch;

import java.util.ArrayList;
import java.util.List;

/**
 * What one family's name clues found in a state dict ({@link FamilyBuilder#detect}): the clues
 * that matched, in the order the family reads them, a note for each (and one saying where the
 * chain stopped), and the spec when every clue matched. The detector reports the notes of the
 * families whose chains went furthest when none claims the checkpoint.
 */
public final class Detection {
    private final List<String> notes = new ArrayList<>();
    private int clues;
    private ArchSpec spec;

    /** A clue that matched, with what was seen. */
    public Detection saw(String note) {
        clues++;
        notes.add(note);
        return this;
    }

    /** Why the chain stopped (the family does not claim the checkpoint). */
    public Detection stopped(String note) {
        notes.add(note);
        return this;
    }

    /** Every clue matched: the family claims the checkpoint as this spec. */
    public Detection claim(ArchSpec claimed) {
        this.spec = claimed;
        return this;
    }

    /** How many clues matched. */
    public int clues() {
        return clues;
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** The claimed spec, complete with input channels and classes; null when the family does not claim it. */
    public ArchSpec spec() {
        return spec;
    }
}
