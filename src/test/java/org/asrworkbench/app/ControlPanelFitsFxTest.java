package org.asrworkbench.app;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a 1280x800 window with a refusal message under a field, the left panel's action buttons stay
 * in view and show their whole text: the message once grew the panel past the window, a scroll
 * bar appeared and "Apply & Evaluate" read "Apply & Evalu…" below the fold. Saves
 * {@code control-panel-message.png}.
 */
@ExtendWith(ApplicationExtension.class)
class ControlPanelFitsFxTest {
    @RegisterExtension
    final FxWindow window = new FxWindow("asr-panel");
    private Workbench workbench;

    @Start
    void start(Stage s) throws IOException {
        workbench = window.show(s);
    }

    @Test
    void actionButtonsStayWholeWhileARefusalShows(FxRobot robot) throws Exception {
        window.openDefaultSample(robot);
        assertButtonsWhole(robot, "without a message");

        TextField lambda = robot.lookup("#lambdaField").queryAs(TextField.class);
        robot.doubleClickOn(lambda).eraseText(12).write("-2").push(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        Label message = robot.lookup("#lambdaMessage").queryAs(Label.class);
        assertTrue(message.isVisible() && message.getText().contains("lambda"), message.getText());
        robot.interact(() -> window.shoot("control-panel-message"));
        assertButtonsWhole(robot, "with the lambda refusal showing");
        assertInside(message, window.scene().getRoot(), "the message");
    }

    private void assertButtonsWhole(FxRobot robot, String when) {
        for (String id : new String[] {"#pass", "#apply", "#auto"}) {
            Button b = robot.lookup(id).queryAs(Button.class);
            assertTrue(b.isVisible(), id + " " + when);
            Text shown = (Text) b.lookup(".text");
            assertEquals(b.getText(), shown.getText(), id + "'s text is cut " + when);
            assertInside(b, window.scene().getRoot(), id + " " + when);
            // and not scrolled out of a viewport: every ancestor's clip (a scroll pane's viewport) holds it
            for (Node p = b.getParent(); p != null; p = p.getParent()) {
                if (p.getClip() != null) {
                    Bounds clip = p.localToScene(p.getClip().getBoundsInParent());
                    Bounds own = b.localToScene(b.getBoundsInLocal());
                    assertTrue(clip.getMinY() <= own.getMinY() + 0.5 && own.getMaxY() <= clip.getMaxY() + 0.5,
                            id + " is clipped " + when + ": " + own + " in " + clip);
                }
            }
        }
    }

    private static void assertInside(Node n, Node root, String what) {
        Bounds own = n.localToScene(n.getBoundsInLocal());
        double h = root.getScene().getHeight();
        double w = root.getScene().getWidth();
        assertTrue(own.getMinY() >= 0 && own.getMaxY() <= h && own.getMinX() >= 0 && own.getMaxX() <= w,
                what + " leaves the " + w + "x" + h + " window: " + own);
    }
}
