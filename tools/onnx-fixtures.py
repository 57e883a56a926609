#!/usr/bin/python3
"""Writes the ONNX fixtures the workbench's import is tested on, each exported two ways:

  NAME-folded.onnx  torch.onnx.export's default: every conv -> BatchNorm pair folded into the conv
  NAME-bn.onnx      BatchNorm kept: training=torch.onnx.TrainingMode.PRESERVE on an eval-mode model

with a sidecar NAME-*.json beside each (the input normalisation) and NAME-input.bin: three
normalised real images, float32 (3, C, H, W), that the tests feed the workbench and ONNX Runtime. Weights are random (seed 0)
with BatchNorm statistics calibrated on real images (CIFAR-10 from ../shared, else the bundled
Fashion-MNIST subset, upsampled and repeated to the input's size), so every BatchNorm does
real work and the folded and kept exports are the same function.

  /usr/bin/python3 tools/onnx-fixtures.py --set small  --out src/test/resources/onnx   (committed, < 1 MB)
  /usr/bin/python3 tools/onnx-fixtures.py --set full   --out target/onnx-fixtures      (the families, on demand)

`small` holds tiny-width variants of the families (CIFAR ResNet option A, ShuffleNetV2,
MobileNetV3-small, DenseNet) and the bundled sample resnet20-w0.5-fashion; `full` holds
torchvision's ResNet-18/-50, DenseNet-121, MobileNetV2, MobileNetV3-small, EfficientNet-B0,
GoogLeNet, RegNetX-400MF, SqueezeNet 1.1, ShuffleNetV2 x0.5, the CIFAR ResNet-20, every
bundled sample and, where ../shared has them, the shared trained CIFAR-10 ResNet-20 and -56. Needs Debian's python3-torch, python3-torchvision and python3-onnx (1.13/0.14).
"""
import argparse
import gzip
import importlib.util
import json
import struct
import sys
import types
import warnings
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.models as tvm

ROOT = Path(__file__).resolve().parent.parent
CIFAR_MEAN, CIFAR_STD = [0.4914, 0.4822, 0.4465], [0.247, 0.243, 0.261]


def crosscheck_module():
    """docs/pytorch-crosscheck.py's model definitions (the same networks the workbench builds), without safetensors."""
    st = types.ModuleType("safetensors")
    st.torch = types.ModuleType("safetensors.torch")
    st.torch.load_file = load_safetensors
    sys.modules.setdefault("safetensors", st)
    sys.modules.setdefault("safetensors.torch", st.torch)
    spec = importlib.util.spec_from_file_location("crosscheck", ROOT / "docs" / "pytorch-crosscheck.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_safetensors(path):
    raw = Path(path).read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    dtypes = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        t = torch.frombuffer(bytearray(raw[8 + n + a:8 + n + b]), dtype=dtypes[v["dtype"]])
        out[k] = t.reshape(v["shape"]).float()
    return out


def calibration_images(channels, size, count=64):
    """Real images in [0, 1]: CIFAR-10's calibration pool when ../shared has it, else bundled Fashion-MNIST."""
    cifar = ROOT.parent / "shared" / "data" / "cifar10-jpeg" / "calib_pool.bin"
    if channels == 3 and cifar.exists():
        raw = cifar.read_bytes()[:count * 3073]
        x = torch.frombuffer(bytearray(raw), dtype=torch.uint8).reshape(count, 3073)[:, 1:].reshape(count, 3, 32, 32)
    else:
        raw = gzip.decompress((ROOT / "sample-models/fashion-mnist/fashion-calib-2000-images-idx3-ubyte.gz").read_bytes())
        x = torch.frombuffer(bytearray(raw[16:16 + count * 784]), dtype=torch.uint8).reshape(count, 1, 28, 28)
        x = x.repeat(1, channels, 1, 1)
    x = x.float() / 255
    return F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False) if x.shape[-1] != size else x


def calibrate(model, images, mean, std):
    """Random BatchNorm affine parameters, then running statistics measured on the images (cumulative average)."""
    g = torch.Generator().manual_seed(1)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
            with torch.no_grad():
                m.weight.copy_(0.3 + 0.5 * torch.rand(m.weight.shape, generator=g))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=g))
    x = (images - torch.tensor(mean).view(1, -1, 1, 1)) / torch.tensor(std).view(1, -1, 1, 1)
    model.eval()  # dropout and stochastic depth off: only the BatchNorms measure their batches
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.train()
    with torch.no_grad():
        for b in x.split(16):
            model(b)
    model.eval()
    return x


def export(model, name, size, channels, opset, mean, std, out, norm_name, pad=0):
    x = calibration_images(channels, size)
    if any(isinstance(m, nn.BatchNorm2d) for m in model.modules()) and not getattr(model, "trained", False):
        calibrate(model, x, mean, std)
    model.eval()
    # three normalised real images the tests feed both runtimes (white noise would drive a random-weight
    # network far from where its BatchNorms were calibrated, where a deep one is chaotic)
    normed = (x[-3:] - torch.tensor(mean).view(1, -1, 1, 1)) / torch.tensor(std).view(1, -1, 1, 1)
    (out / f"{name}-input.bin").write_bytes(normed.contiguous().numpy().astype("<f4").tobytes())
    dummy = torch.randn(1, channels, size, size)
    sidecar = {"normalisation": {"name": norm_name, "channels": channels, "height": size, "width": size,
                                 "mean": mean, "std": std}}
    if pad:
        sidecar["normalisation"]["pad"] = pad
    for kind in ("folded", "bn"):
        path = out / f"{name}-{kind}.onnx"
        extra = {} if kind == "folded" else {"training": torch.onnx.TrainingMode.PRESERVE}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, dummy, str(path), opset_version=opset, input_names=["input"],
                              output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                              **extra)
        path.with_suffix(".json").write_text(json.dumps(sidecar, indent=2) + "\n")
        print(f"{path} ({path.stat().st_size} bytes, opset {opset})")


def sample(mod, file):
    """A bundled sample model with its trained weights, as docs/pytorch-crosscheck.py builds it."""
    sidecar = json.loads(file.with_suffix(".json").read_text())
    norm = sidecar["normalisation"]
    sd = load_safetensors(file)
    classes = next(v.shape[0] for k, v in reversed(list(sd.items())) if k.endswith(".weight") and v.dim() == 2)
    model = mod.build(sidecar["architecture"], classes, norm["channels"])
    model.load_state_dict(sd, strict=True)
    model.trained = True
    return model, norm


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=["small", "full"], default="small")
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", default=None, help="write only the fixtures whose name contains this")
    args = ap.parse_args()
    out = Path(args.out or (ROOT / ("src/test/resources/onnx" if args.set == "small" else "target/onnx-fixtures")))
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    mod = crosscheck_module()
    cifar = dict(mean=CIFAR_MEAN, std=CIFAR_STD, norm_name="cifar")
    if args.set == "small":
        families = [
            ("tiny-cifar-resnet8-optA", lambda: mod.CifarResNet(8, 0.25, 10, 3), 32, 11),
            ("tiny-shufflenet_v2", lambda: tvm.ShuffleNetV2([1, 1, 1], [8, 16, 24, 32, 64], num_classes=10), 32, 13),
            ("tiny-mobilenet_v3_small", lambda: tvm.mobilenetv3.MobileNetV3(
                tvm.mobilenetv3._mobilenet_v3_conf("mobilenet_v3_small", width_mult=0.25)[0], 64, num_classes=10), 32, 17),
            ("tiny-densenet", lambda: tvm.DenseNet(growth_rate=4, block_config=(2, 2), num_init_features=8, bn_size=2,
                                                   num_classes=10), 32, 13),
        ]
        samples = ["resnet20-w0.5-fashion"]
    else:
        families = [
            ("cifar-resnet20-optA", lambda: mod.CifarResNet(20, 1.0, 10, 3), 32, 11),
            ("resnet18", lambda: tvm.resnet18(num_classes=10), 64, 13),
            ("resnet50", lambda: tvm.resnet50(num_classes=10), 64, 13),
            ("densenet121", lambda: tvm.densenet121(num_classes=10), 64, 13),
            ("mobilenet_v2", lambda: tvm.mobilenet_v2(num_classes=10), 64, 13),
            ("mobilenet_v3_small", lambda: tvm.mobilenet_v3_small(num_classes=10), 64, 17),
            ("efficientnet_b0", lambda: tvm.efficientnet_b0(num_classes=10), 64, 17),
            ("googlenet", lambda: tvm.googlenet(num_classes=10, aux_logits=False, init_weights=True), 64, 13),
            ("regnet_x_400mf", lambda: tvm.regnet_x_400mf(num_classes=10), 64, 13),
            ("squeezenet1_1", lambda: tvm.squeezenet1_1(num_classes=10), 64, 11),
            ("shufflenet_v2_x0_5", lambda: tvm.shufflenet_v2_x0_5(num_classes=10), 64, 11),
        ]
        samples = sorted(p.stem for p in (ROOT / "sample-models").glob("*.safetensors"))
        shared = ROOT.parent / "shared" / "models" / "cifar10"
        for depth in (20, 56):
            f = shared / f"resnet{depth}.safetensors"
            if f.exists() and (not args.only or args.only in f"shared-resnet{depth}"):
                # the shared trained CIFAR-10 ResNets, with the workbench's `cifar` preset
                model = mod.build(f"resnet{depth}", 10, 3)
                model.load_state_dict(load_safetensors(f), strict=True)
                model.trained = True
                export(model, f"shared-resnet{depth}", 32, 3, 13, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225], out,
                       "cifar")
    if args.only:
        families = [f for f in families if args.only in f[0]]
        samples = [s for s in samples if args.only in s]
    for name, make, size, opset in families:
        torch.manual_seed(0)
        export(make(), name, size, 3, opset, out=out, **cifar)
    for s in samples:
        model, norm = sample(mod, ROOT / "sample-models" / f"{s}.safetensors")
        export(model, s, norm["height"], norm["channels"], 13, norm["mean"], norm["std"], out, norm["name"],
               norm.get("pad", 0))


if __name__ == "__main__":
    main()
