package org.asrworkbench.app;

import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.view.FileDialogs;
import org.asrworkbench.core.model.SampleModels;
import javafx.stage.Window;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The workbench window of a TestFX test: jobs on one background thread, a new temporary state
 * folder, a 1280x800 scene on the test's stage. A test holds one as an extension field
 * ({@code @RegisterExtension final FxWindow window = new FxWindow("asr-x");}) and calls
 * {@link #show} from its {@code @Start} method; after each test the jobs are stopped.
 */
final class FxWindow implements AfterEachCallback {
    /** Where screenshots go ({@code -Dscreenshots=assets/screenshots} regenerates the README's). */
    static final Path SHOTS = Path.of(System.getProperty("screenshots", "target/screenshots"));

    private final String prefix;
    private final ExecutorService jobs = Executors.newSingleThreadExecutor();
    private Workbench workbench;
    private Stage stage;
    private Path stateDir;

    /** @param prefix of the temporary state folder's name */
    FxWindow(String prefix) {
        this.prefix = prefix;
    }

    /** Builds the workbench on a new temporary state folder and shows it in {@code stage}. */
    Workbench show(Stage s) throws IOException {
        stage = s;
        stateDir = Files.createTempDirectory(prefix);
        workbench = new Workbench(jobs, Platform::runLater, stateDir);
        s.setScene(workbench.window().scene(1280, 800));
        s.show();
        return workbench;
    }

    /** The workbench's state folder (recent files, autosave). */
    Path stateDir() {
        return stateDir;
    }

    Scene scene() {
        return stage.getScene();
    }

    /**
     * Opens the bundled default sample as the app does at start (its model, evaluation and
     * calibration images) and waits for it; fails when the bundled samples are missing.
     */
    SampleModels.Sample openDefaultSample(FxRobot robot) throws TimeoutException {
        SampleModels.Sample sample = SampleModels.defaultSample().orElseThrow(() ->
                new AssertionError("the bundled sample-models/ folder is missing"));
        robot.interact(() -> workbench.models().openSample(sample));
        awaitIdle(120);
        return sample;
    }

    /** Waits up to {@code seconds} for the jobs to end and the FX thread to catch up; the last job must have succeeded. */
    void awaitIdle(int seconds) throws TimeoutException {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> !workbench.compute().isBusy());
        WaitForAsyncUtils.waitForFxEvents();
        WorkbenchModel model = workbench.model();
        assertEquals(JobStatus.SUCCEEDED, model.jobStatusProperty().get(), model.lastErrorProperty().get());
    }

    /** Saves the window as {@code name.png} in {@link #SHOTS} (call on the FX thread). */
    void shoot(String name) {
        try {
            Screenshots.save(scene().getRoot(), SHOTS.resolve(name + ".png"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the FX thread and for the visible chart to show the current state. */
    void awaitCharts() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> workbench.window().tabs().chartsSettled());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The visible control showing {@code text} (mnemonic underscores ignored). */
    static Node labeled(FxRobot robot, String text) {
        return robot.lookup(n -> n instanceof Labeled l && n.isVisible() && l.getText() != null
                && l.getText().replace("_", "").equals(text)).query();
    }

    /** File choosers that answer with the paths queued in {@code answers} (empty: the user cancelled). */
    static FileDialogs answering(Deque<Path> answers) {
        return answering(answers, (title, patterns) -> { });
    }

    /** As {@link #answering(Deque)}, and each open dialog's title and patterns go to {@code onOpen} first (to check them). */
    static FileDialogs answering(Deque<Path> answers, java.util.function.BiConsumer<String, String[]> onOpen) {
        return new FileDialogs() {
            @Override
            public Optional<Path> open(Window owner, String title, String... patterns) {
                onOpen.accept(title, patterns);
                return Optional.ofNullable(answers.poll());
            }

            @Override
            public Optional<Path> save(Window owner, String title, String... patterns) {
                return Optional.ofNullable(answers.poll());
            }

            @Override
            public Optional<Path> folder(Window owner, String title) {
                return Optional.ofNullable(answers.poll());
            }
        };
    }

    /** Clicks File, then {@code item}; the file chooser it opens answers {@code file} (via {@code answers}). */
    static void menu(FxRobot robot, Deque<Path> answers, String item, Path file) {
        answers.add(file);
        robot.clickOn(labeled(robot, "File"));
        robot.clickOn(labeled(robot, item));
        WaitForAsyncUtils.waitForFxEvents();
        org.junit.jupiter.api.Assertions.assertTrue(answers.isEmpty(), item + " did not ask for a file");
    }

    /** True when a visible label shows exactly {@code text}. */
    static boolean visibleText(FxRobot robot, String text) {
        return robot.lookup(n -> n instanceof Labeled l && n.isVisible() && text.equals(l.getText())).tryQuery().isPresent();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        jobs.shutdownNow();
    }
}
