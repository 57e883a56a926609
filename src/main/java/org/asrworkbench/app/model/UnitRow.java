package org.asrworkbench.app.model;

import org.asrworkbench.core.graph.UnitKind;

/**
 * One row of the layer table.
 *
 * @param unit      the unit's conv/linear module name
 * @param shape     its weight shape, e.g. {@code 16x16x3x3}
 * @param params    the weight's element count
 * @param sparsity  achieved sparsity of the weight (NaN before pruning)
 * @param retention {@code R_u} (NaN before a statistics pass)
 * @param dead      dead channel count (-1 before a statistics pass)
 * @param collapsed collapsed channel count (-1 before a statistics pass)
 * @param channels  output channels
 * @param spread    the heterogeneity of {@code r_c} within the unit (null before a statistics pass)
 * @param estimate  true when {@code retention} (and {@code sparsity}) come from the local estimate, not a pass
 * @param kind      BN unit or virtual unit (a virtual BN after a layer without its own)
 */
public record UnitRow(String unit, String shape, long params, double sparsity, double retention, int dead,
                      int collapsed, int channels, Heterogeneity spread, boolean estimate, UnitKind kind) {
}
