package org.asrworkbench.app.view;

import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file and folder choosers the window uses. The window's default shows the platform dialogs;
 * a test hands in its own answers to drive the menus headless.
 */
public interface FileDialogs {
    /** A file to open, or empty when the user cancelled. */
    Optional<Path> open(Window owner, String title, String... patterns);

    /** A file to write, or empty when the user cancelled. */
    Optional<Path> save(Window owner, String title, String... patterns);

    /** A file to write, proposing {@code name} (the platform dialogs fill it in; others may ignore it). */
    default Optional<Path> saveAs(Window owner, String title, String name, String... patterns) {
        return save(owner, title, patterns);
    }

    /** A folder to open, or empty when the user cancelled. */
    Optional<Path> folder(Window owner, String title);

    /** The platform's dialogs. */
    static FileDialogs platform() {
        return new FileDialogs() {
            @Override
            public Optional<Path> open(Window owner, String title, String... patterns) {
                return Optional.ofNullable(chooser(title, patterns).showOpenDialog(owner)).map(File::toPath);
            }

            @Override
            public Optional<Path> save(Window owner, String title, String... patterns) {
                return Optional.ofNullable(chooser(title, patterns).showSaveDialog(owner)).map(File::toPath);
            }

            @Override
            public Optional<Path> saveAs(Window owner, String title, String name, String... patterns) {
                FileChooser fc = chooser(title, patterns);
                fc.setInitialFileName(name);
                return Optional.ofNullable(fc.showSaveDialog(owner)).map(File::toPath);
            }

            @Override
            public Optional<Path> folder(Window owner, String title) {
                DirectoryChooser dc = new DirectoryChooser();
                dc.setTitle(title);
                return Optional.ofNullable(dc.showDialog(owner)).map(File::toPath);
            }

            private FileChooser chooser(String title, String... patterns) {
                FileChooser fc = new FileChooser();
                fc.setTitle(title);
                fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(String.join(", ", patterns), patterns));
                return fc;
            }
        };
    }
}
