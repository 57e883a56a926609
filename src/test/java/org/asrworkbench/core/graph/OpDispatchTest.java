package org.asrworkbench.core.graph;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every op type (the sealed {@link Op}'s permitted records) has its own {@link Op.Visitor}
 * method, and the executor and the shape inference implement the visitor, so an op either of them
 * does not handle fails the build; the pruner's prunable layers are exactly the
 * {@link Op.WeightLayer}s; {@code info}'s op census names every kind.
 */
class OpDispatchTest {
    static Set<Class<?>> opRecords() {
        Set<Class<?>> out = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(Arrays.asList(Op.class.getPermittedSubclasses()));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (c.isSealed()) {
                todo.addAll(Arrays.asList(c.getPermittedSubclasses()));
            } else {
                assertTrue(c.isRecord(), c + " is an op but not a record");
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void theVisitorHasOneMethodPerOp() {
        Set<Class<?>> visited = Arrays.stream(Op.Visitor.class.getDeclaredMethods()).filter(m -> m.getName().equals("visit"))
                .map(m -> m.getParameterTypes()[0]).collect(Collectors.toSet());
        assertEquals(opRecords(), visited);
        assertEquals(28, visited.size());
    }

    @Test
    void executorAndShapeInferenceImplementTheVisitor() throws Exception {
        Class<?> run = Class.forName("org.asrworkbench.core.exec.Executor$NodeRun");
        assertTrue(Op.Visitor.class.isAssignableFrom(run));
        assertTrue(Op.Visitor.class.isAssignableFrom(Shapes.class));
        for (Class<?> op : opRecords()) {
            Method accept = op.getMethod("accept", Op.Visitor.class);
            assertEquals(op, accept.getDeclaringClass(), op + " must dispatch to its own visit method");
        }
    }

    @Test
    void theWeightLayersAreConvAndLinear() {
        assertEquals(Set.of(Op.Conv2d.class, Op.Linear.class), Set.of(Op.WeightLayer.class.getPermittedSubclasses()));
    }
}
