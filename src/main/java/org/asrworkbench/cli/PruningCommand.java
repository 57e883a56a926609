package org.asrworkbench.cli;

import picocli.CommandLine.Mixin;

/** A command that also prunes and calibrates ({@code --prune}, {@code --sparsity}, {@code --calib-*}). */
abstract class PruningCommand extends ModelCommand {
    @Mixin
    RepairOptions repair;
}
