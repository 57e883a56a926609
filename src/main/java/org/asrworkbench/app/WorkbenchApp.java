package org.asrworkbench.app;

import javafx.application.Application;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/** The workbench window (the full workbench lands with the GUI issue). */
public final class WorkbenchApp extends Application {
    @Override
    public void start(Stage stage) {
        BorderPane root = new BorderPane(new Label("ASR Workbench — post-pruning repair of convolutional networks"));
        root.setPadding(new Insets(24));
        stage.setTitle("ASR Workbench");
        stage.setScene(new Scene(root, 960, 640));
        stage.show();
    }
}
