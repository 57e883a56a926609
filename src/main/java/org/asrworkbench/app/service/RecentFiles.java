package org.asrworkbench.app.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files the user opened most recently (models, datasets, sessions), newest first, kept in a
 * small JSON file ({@code ~/.asr-workbench/recent.json}) that is rewritten atomically on every
 * change. Use on the FX thread.
 */
public final class RecentFiles {
    /** How many entries are kept. */
    public static final int MAX = 10;

    /** What an entry was opened as, which decides how it is opened again. */
    public enum Kind {
        MODEL("model"), EVAL("evaluation data"), CALIB("calibration data"), SESSION("session"), RULE("repair rule");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The words the menu shows after the file name. */
        public String label() {
            return label;
        }
    }

    /** One recent file: its kind and absolute path. */
    public record Entry(Kind kind, String path) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final ObservableList<Entry> entries = FXCollections.observableArrayList();
    private final ObservableList<Entry> view = FXCollections.unmodifiableObservableList(entries);
    private final String problem;

    /**
     * Reads {@code file} when it exists. A file that cannot be read gives an empty list (replaced
     * on the next change) and a {@link #problem()} that names it.
     */
    public RecentFiles(Path file) {
        this.file = file;
        String p = null;
        if (Files.exists(file)) {
            try {
                List<Entry> read = MAPPER.readValue(file.toFile(), new TypeReference<List<Entry>>() { });
                read.stream().filter(e -> e != null && e.kind() != null && e.path() != null).limit(MAX).forEach(entries::add);
            } catch (JsonProcessingException e) {
                p = file + ": not a recent-files list (" + e.getOriginalMessage() + "); starting a new one";
            } catch (IOException e) {
                p = file + ": cannot read: " + e.getMessage();
            }
        }
        problem = p;
    }

    /** Why the list could not be read, or null. */
    public String problem() {
        return problem;
    }

    /** The entries, newest first (read-only). */
    public ObservableList<Entry> entries() {
        return view;
    }

    /** Puts {@code path} first (once) and saves the list. */
    public void add(Kind kind, Path path) throws IOException {
        Entry e = new Entry(kind, path.toAbsolutePath().normalize().toString());
        List<Entry> next = new ArrayList<>(entries);
        next.remove(e);
        next.add(0, e);
        entries.setAll(next.subList(0, Math.min(MAX, next.size())));
        save();
    }

    /** Drops an entry (a file that no longer opens) and saves the list. */
    public void remove(Entry e) throws IOException {
        if (entries.remove(e)) {
            save();
        }
    }

    public void clear() throws IOException {
        entries.clear();
        save();
    }

    private void save() throws IOException {
        AtomicText.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(List.copyOf(entries)));
    }
}
