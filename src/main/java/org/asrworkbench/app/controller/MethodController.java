package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.repair.rule.RuleMethod;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Rule files in the method list: loading one reads, checks and compiles it in the background,
 * then adds it to the list and selects it. A rule that cannot be loaded leaves the list and the
 * selection as they were; the message (naming the file, the expression and the position) is
 * shown as the job's error.
 */
public final class MethodController {
    private final WorkbenchModel model;
    private final ComputeService compute;
    private Consumer<Path> onLoaded = p -> { };

    public MethodController(WorkbenchModel model, ComputeService compute) {
        this.model = model;
        this.compute = compute;
    }

    /** Called on the UI thread after a rule was loaded (the recent files). */
    public void setOnLoaded(Consumer<Path> listener) {
        this.onLoaded = listener;
    }

    /** Loads a rule file into the method list; false when a job is running. */
    public boolean loadRule(Path file) {
        return compute.submit("Load repair rule " + file.getFileName(), p -> RuleMethod.load(file), rule -> {
            model.addMethod(rule);
            onLoaded.accept(file);
        });
    }
}
