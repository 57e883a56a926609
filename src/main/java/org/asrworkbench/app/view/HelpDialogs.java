package org.asrworkbench.app.view;

import javafx.scene.control.Alert;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextArea;
import javafx.stage.Window;
import org.asrworkbench.core.util.BuildInfo;

import java.util.ArrayList;
import java.util.List;

/** Help › Keyboard shortcuts (read from the menus themselves, so it never drifts) and Help › About. */
public final class HelpDialogs {
    /** What each dependency is for and its licence (as in the README's table). */
    private static final String LICENCES = """
            DJL (Deep Java Library) and its PyTorch engine: Apache 2.0; PyTorch (libtorch): BSD-3-Clause
            JavaFX (OpenJFX): GPL 2.0 with the Classpath Exception
            ControlsFX: BSD-3-Clause
            JFreeChart, JFreeChart-FX, JFreeSVG: LGPL 2.1 / GPL 3.0 (JFreeSVG)
            Jackson: Apache 2.0
            picocli: Apache 2.0
            Pyrolite (pickle): MIT
            SLF4J: MIT""";

    private HelpDialogs() {
    }

    /** Every menu item that has a shortcut, as "shortcut  menu › item" lines, Esc included. */
    public static List<String> shortcutLines(MenuBar bar) {
        List<String> lines = new ArrayList<>();
        for (Menu m : bar.getMenus()) {
            collect(m, m.getText().replace("_", ""), lines);
        }
        return lines;
    }

    private static void collect(Menu menu, String path, List<String> lines) {
        for (MenuItem i : menu.getItems()) {
            String name = i.getText() == null ? "" : i.getText().replace("_", "");
            if (i instanceof Menu sub) {
                collect(sub, path + " \u203a " + name, lines);
            } else if (i.getAccelerator() != null) {
                lines.add(String.format("%-18s %s \u203a %s", i.getAccelerator().getDisplayText(), path, name));
            }
        }
    }

    public static void shortcuts(Window owner, MenuBar bar) {
        String text = String.join("\n", shortcutLines(bar)) + "\n\nEsc cancels a running job wherever the focus is."
                + "\nWhile a job runs, the menu items that start one are disabled.";
        show(owner, "Keyboard shortcuts", text);
    }

    /** The About text: version, engine, device, JVM and the licences. */
    public static String aboutText(String device) {
        return "ASR Workbench " + BuildInfo.version() + " \u2014 post-pruning repair of convolutional networks"
                + " (Adaptive Signal Resuscitation)\n\nEngine: " + BuildInfo.engine() + "\nDevice: " + device
                + "\nJavaFX: " + BuildInfo.javafx() + "\nJava: " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + "\n\nLicences:\n" + LICENCES;
    }

    public static void about(Window owner, String device) {
        show(owner, "About ASR Workbench", aboutText(device));
    }

    private static void show(Window owner, String title, String text) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.setTitle(title);
        a.setHeaderText(title);
        TextArea area = new TextArea(text);
        area.setEditable(false);
        area.setWrapText(false);
        area.setPrefColumnCount(70);
        area.setPrefRowCount(Math.min(24, (int) text.lines().count() + 1));
        area.setStyle("-fx-font-family: monospace;");
        a.getDialogPane().setContent(area);
        if (owner != null) {
            a.initOwner(owner);
        }
        a.show();
    }
}
