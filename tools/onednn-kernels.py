#!/usr/bin/env python3
"""Writes src/main/resources/org/asrworkbench/core/exec/onednn-kernels.pt, the TorchScript module
through which core.exec.FusedConv reaches the fused convolutions of the PyTorch engine's oneDNN
library (mkldnn::_convolution_pointwise: a convolution with its ReLU / clip, or with a residual
sum and ReLU, in one pass), which DJL's Java API does not expose.

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

CODE = '''class Kernels(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  def forward(self: __torch__.Kernels,
    x: Tensor) -> Tensor:
    return x
  def conv_relu(self: __torch__.Kernels,
    x: Tensor,
    w: Tensor,
    b: Optional[Tensor],
    padding: List[int],
    stride: List[int],
    dilation: List[int],
    groups: int) -> Tensor:
    _0 = ops.mkldnn._convolution_pointwise(x, w, b, padding, stride, dilation, groups, "relu", annotate(List[Optional[number]], []), None)
    return _0
  def conv_clip(self: __torch__.Kernels,
    x: Tensor,
    w: Tensor,
    b: Optional[Tensor],
    padding: List[int],
    stride: List[int],
    dilation: List[int],
    groups: int,
    low: float,
    high: float) -> Tensor:
    _0 = ops.mkldnn._convolution_pointwise(x, w, b, padding, stride, dilation, groups, "hardtanh", annotate(List[Optional[number]], [low, high]), None)
    return _0
  def conv_add_relu(self: __torch__.Kernels,
    x: Tensor,
    other: Tensor,
    w: Tensor,
    b: Optional[Tensor],
    padding: List[int],
    stride: List[int],
    dilation: List[int],
    groups: int) -> Tensor:
    _0 = ops.mkldnn._convolution_pointwise(x, other, w, b, padding, stride, dilation, groups, "add", 1., "relu", annotate(List[Optional[number]], []), None)
    return _0
  def conv_add_relu_into(self: __torch__.Kernels,
    x: Tensor,
    other: Tensor,
    w: Tensor,
    b: Optional[Tensor],
    padding: List[int],
    stride: List[int],
    dilation: List[int],
    groups: int) -> Tensor:
    _0 = ops.mkldnn._convolution_pointwise_(other, x, w, b, padding, stride, dilation, groups, "add", 1., "relu", annotate(List[Optional[number]], []), None)
    return _0
'''


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
