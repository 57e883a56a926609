package org.asrworkbench.core.tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An ordered map from PyTorch {@code state_dict} names to tensors, with the metadata a file
 * carried. Names are kept exactly as PyTorch writes them (after stripping wrappers such as a
 * {@code module.} prefix), so that exports load back with {@code load_state_dict}.
 */
public final class StateDict {
    private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> metadata = new LinkedHashMap<>();

    public StateDict() {
    }

    public StateDict(Map<String, Tensor> tensors) {
        this.tensors.putAll(tensors);
    }

    public void put(String name, Tensor t) {
        tensors.put(name, t);
    }

    public Tensor get(String name) {
        return tensors.get(name);
    }

    /** The tensor, or an error that names the missing key. */
    public Tensor require(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("missing parameter '" + name + "'");
        }
        return t;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public Map<String, Tensor> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    public int size() {
        return tensors.size();
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** A deep copy: tensors get their own data arrays. */
    public StateDict copy() {
        StateDict c = new StateDict();
        tensors.forEach((k, v) -> c.put(k, v.copy()));
        c.metadata.putAll(metadata);
        return c;
    }

    /** Removes a leading prefix (for example {@code module.}) when every key has it. */
    public StateDict stripCommonPrefix(String prefix) {
        if (tensors.isEmpty() || !tensors.keySet().stream().allMatch(k -> k.startsWith(prefix))) {
            return this;
        }
        StateDict c = new StateDict();
        tensors.forEach((k, v) -> c.put(k.substring(prefix.length()), v));
        c.metadata.putAll(metadata);
        return c;
    }
}
