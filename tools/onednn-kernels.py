#!/usr/bin/env python3
"""Writes src/main/resources/org/asrworkbench/core/exec/onednn-kernels.pt, the TorchScript module
through which core.exec.FusedConv reaches the fused convolutions of the PyTorch engine's oneDNN
library (mkldnn::_convolution_pointwise: a convolution with its ReLU, or with a residual Add
written into the Add's other operand, in one pass), which DJL's Java API does not expose.

Only the Python standard library is needed: a TorchScript archive is a zip of the module's code
(TorchScript source, compiled by torch.jit.load / DJL's module loader) and two small pickles.
The archive is written byte for byte the same on every run (fixed entry dates).

Usage: tools/onednn-kernels.py [OUT]
"""
import io
import pickle
import sys
import types
import zipfile

CONV = ["x: Tensor", "w: Tensor", "b: Optional[Tensor]"]
ADD = ["x: Tensor", "other: Tensor", "w: Tensor", "b: Optional[Tensor]"]
WINDOW = ["padding: List[int]", "stride: List[int]", "dilation: List[int]", "groups: int"]
NO_SCALARS = "annotate(List[Optional[number]], [])"
# oneDNN's ReLU (and clip) post-op turns a NaN into 0, which would hide a broken network's NaN from
# the evaluation's check. After a plain convolution the ReLU is a leaky ReLU with a negligible slope
# instead, which keeps NaN: a negative value becomes -1e-30 |x| instead of 0, and a -Inf stays -Inf
# (core.exec.InferencePlan then runs the batch again unfused). After the Add (whose post-op takes
# no leaky ReLU) PyTorch's own in-place ReLU runs on the sum, in the same method.
RELU = '"leaky_relu", annotate(List[Optional[number]], [1e-30])'

POINTWISE = "ops.mkldnn._convolution_pointwise"


def method(name, params, value):
    """One method of the module in TorchScript's serialised form: typed parameters, one value returned."""
    args = ",\n    ".join(params)
    return f"  def {name}(self: __torch__.Kernels,\n    {args}) -> Tensor:\n    _0 = {value}\n    return _0\n"


CODE = ("class Kernels(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n"
        + method("forward", ["x: Tensor"], "x")
        + method("conv_relu", CONV + WINDOW,
                 f'{POINTWISE}(x, w, b, padding, stride, dilation, groups, {RELU}, None)')
        # relu(conv(x) + other) in a new array (the operator copies other first) ...
        + method("conv_add_relu", ADD + WINDOW,
                 f'torch.relu_({POINTWISE}(x, other, w, b, padding, stride, dilation, groups, "add", 1., None, {NO_SCALARS}, None))')
        # ... or written into other
        + method("conv_add_relu_into", ADD + WINDOW,
                 f'torch.relu_({POINTWISE}_(other, x, w, b, padding, stride, dilation, groups, "add", 1., None, {NO_SCALARS}, None))'))


def archive() -> bytes:
    module = types.ModuleType("__torch__")
    kernels = type("Kernels", (), {"__module__": "__torch__"})
    module.Kernels = kernels
    sys.modules["__torch__"] = module
    obj = kernels.__new__(kernels)
    obj.__dict__["training"] = False
    entries = [
        ("kernels/data.pkl", pickle.dumps(obj, protocol=2)),
        ("kernels/code/__torch__.py", CODE.encode()),
        ("kernels/constants.pkl", pickle.dumps((), protocol=2)),
        ("kernels/version", b"3\n"),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "src/main/resources/org/asrworkbench/core/exec/onednn-kernels.pt"
    with open(out, "wb") as f:
        f.write(archive())
    print(out)
