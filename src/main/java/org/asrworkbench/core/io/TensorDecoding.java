package org.asrworkbench.core.io;

import org.asrworkbench.core.tensor.DType;

import java.nio.ByteBuffer;

/** Converts little-endian raw tensor bytes of any supported dtype to float32. */
public final class TensorDecoding {
    private TensorDecoding() {
    }

    public static float[] decode(ByteBuffer buf, DType type, int numel) {
        float[] out = new float[numel];
        switch (type) {
            case F32 -> buf.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = (float) buf.getDouble();
                }
            }
            case F16 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = halfToFloat(buf.getShort());
                }
            }
            case BF16 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                }
            }
            case I64 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = buf.getLong();
                }
            }
            case I32 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = buf.getInt();
                }
            }
            case I16 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = buf.getShort();
                }
            }
            case I8 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = buf.get();
                }
            }
            case U8, BOOL -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = buf.get() & 0xff;
                }
            }
            default -> throw new IllegalArgumentException("unsupported dtype " + type);
        }
        return out;
    }

    /** IEEE 754 binary16 to float32 (Java 17 has no Float.float16ToFloat). */
    public static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float32 to IEEE 754 binary16, round to nearest even. */
    public static short floatToHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int val = (bits & 0x7fffffff);
        if (val >= 0x7f800000) {
            return (short) (sign | 0x7c00 | (val > 0x7f800000 ? 0x200 : 0));
        }
        if (val >= 0x477ff000) {
            return (short) (sign | 0x7c00);
        }
        if (val < 0x38800000) {
            float a = Float.intBitsToFloat(val);
            int m = Math.round(a * 0x1p24f);
            return (short) (sign | m);
        }
        int exp = (val >>> 23) - 112;
        int mant = val & 0x7fffff;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** float32 to bfloat16 (the upper 16 bits), round to nearest even; NaN stays NaN. */
    public static short floatToBFloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }
}
