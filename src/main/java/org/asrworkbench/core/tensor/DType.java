package org.asrworkbench.core.tensor;

/** Storage types that the loaders read; all are converted to float32 in memory. */
public enum DType {
    F32(4, "F32"), F16(2, "F16"), BF16(2, "BF16"), F64(8, "F64"),
    I64(8, "I64"), I32(4, "I32"), I16(2, "I16"), I8(1, "I8"), U8(1, "U8"), BOOL(1, "BOOL");

    private final int bytes;
    private final String safetensorsName;

    DType(int bytes, String safetensorsName) {
        this.bytes = bytes;
        this.safetensorsName = safetensorsName;
    }

    public int bytes() {
        return bytes;
    }

    public String safetensorsName() {
        return safetensorsName;
    }

    public static DType fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported dtype " + name);
    }
}
