#!/usr/bin/env python3
"""Loads the workbench's safetensors files into PyTorch models built from torchvision's own
building blocks (strict load_state_dict), runs them on the same images with the same input
contract, and compares their logits with the workbench's (`eval --logits`).

Usage: python3 docs/pytorch-crosscheck.py MANIFEST.json   (written by docs/pytorch-crosscheck.sh)

Each manifest case names a model file (its JSON sidecar beside it gives the architecture and the
input contract: mean, std, pad), the images (an IDX images file, gzipped or not, or a CIFAR-10
binary batch) and the workbench's logits CSV for the first images of that file. A case passes
when every tensor of the file loads strictly, the largest logit difference is within --tol, and
the predictions agree on every image whose top two logits are further apart than that. Exit
status 1 when any case fails.
Needs torch, torchvision and safetensors; nothing else.
"""
import argparse
import csv
import gzip
import json
import re
import struct
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file
from torchvision.models import mobilenet_v2
from torchvision.models.resnet import BasicBlock, Bottleneck
from torchvision.models.vgg import make_layers

VGG_CONFIGS = {11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"]}


def scaled(c, width):
    return max(1, int(round(c * width)))


class CifarResNet(nn.Module):
    """CIFAR ResNet-(6n+2) with option-A shortcuts, named as in the widely used reference code."""

    class Block(nn.Module):
        def __init__(self, inp, planes, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)
            self.pad = planes // 4 if stride != 1 or inp != planes else None

        def forward(self, x):
            out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
            shortcut = x if self.pad is None else F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))
            return F.relu(out + shortcut)

    def __init__(self, depth, width, classes, in_ch):
        super().__init__()
        n = (depth - 2) // 6
        widths = [scaled(c, width) for c in (16, 32, 64)]
        self.conv1 = nn.Conv2d(in_ch, widths[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        inp = widths[0]
        for i, planes in enumerate(widths):
            blocks = []
            for b in range(n):
                blocks.append(self.Block(inp, planes, 2 if i > 0 and b == 0 else 1))
                inp = planes
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.linear = nn.Linear(inp, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.linear(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


# torchvision's blocks per stage, and whether the depth uses its Bottleneck (expansion 4)
RESNET_LAYERS = {18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 6, 3], 101: [3, 4, 23, 3], 152: [3, 8, 36, 3]}


class CifarStemResNet(nn.Module):
    """torchvision's ResNet (its BasicBlock, or its Bottleneck from ResNet-50) with the CIFAR stem:
    3x3 stride-1 conv, no max pool."""

    def __init__(self, depth, width, classes, in_ch):
        super().__init__()
        layers = RESNET_LAYERS[depth]
        block = Bottleneck if depth >= 50 else BasicBlock
        widths = [scaled(c, width) for c in (64, 128, 256, 512)]
        self.conv1 = nn.Conv2d(in_ch, widths[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        inp = widths[0]
        for i, (planes, n) in enumerate(zip(widths, layers)):
            blocks = []
            for b in range(n):
                stride = 2 if i > 0 and b == 0 else 1
                out = planes * block.expansion
                down = None
                if stride != 1 or inp != out:
                    down = nn.Sequential(nn.Conv2d(inp, out, 1, stride, bias=False), nn.BatchNorm2d(out))
                blocks.append(block(inp, planes, stride, down))
                inp = out
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.fc = nn.Linear(inp, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        for i in range(1, 5):
            x = getattr(self, f"layer{i}")(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class CifarVgg(nn.Module):
    """torchvision's make_layers(cfg, batch_norm=True) features, flattened into one Linear."""

    def __init__(self, depth, width, classes, in_ch):
        super().__init__()
        cfg = [v if v == "M" else scaled(v, width) for v in VGG_CONFIGS[depth]]
        self.features = make_layers(cfg, batch_norm=True)
        self.features[0] = nn.Conv2d(in_ch, cfg[0], 3, padding=1)
        self.classifier = nn.Linear(cfg[-2], classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def mobilenet(width, classes, in_ch, cifar):
    m = mobilenet_v2(weights=None, width_mult=width, num_classes=classes)
    stem = m.features[0][0]
    m.features[0][0] = nn.Conv2d(in_ch, stem.out_channels, 3, 1 if cifar else 2, 1, bias=False)
    if cifar:
        m.features[2].conv[1][0].stride = (1, 1)  # the depthwise conv opening the second stage
    return m


def build(arch, classes, in_ch):
    m = re.fullmatch(r"(resnet(\d+)|resnet(\d+)-cifar|vgg(\d+)_bn-cifar|mobilenet_v2(-cifar)?)(-w([0-9.]+))?", arch)
    if not m:
        raise ValueError(f"no PyTorch definition for architecture {arch!r}")
    width = float(m.group(7) or 1)
    if m.group(3):
        return CifarStemResNet(int(m.group(3)), width, classes, in_ch)
    if m.group(2):
        return CifarResNet(int(m.group(2)), width, classes, in_ch)
    if m.group(4):
        return CifarVgg(int(m.group(4)), width, classes, in_ch)
    return mobilenet(width, classes, in_ch, m.group(5) is not None)


def read_images(path, count):
    """uint8 images as an (n, c, h, w) tensor: the first `count` of an IDX images file or a CIFAR-10 batch."""
    raw = Path(path).read_bytes()
    if path.endswith(".gz"):
        raw = gzip.decompress(raw)
    if raw[:4] == b"\x00\x00\x08\x03":
        n, h, w = struct.unpack(">III", raw[4:16])
        data = torch.frombuffer(bytearray(raw[16:16 + count * h * w]), dtype=torch.uint8)
        return data.reshape(count, 1, h, w)
    records = torch.frombuffer(bytearray(raw[:count * 3073]), dtype=torch.uint8).reshape(count, 3073)
    return records[:, 1:].reshape(count, 3, 32, 32)


def read_logits(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    return (torch.tensor([int(r[0]) for r in rows]), torch.tensor([int(r[1]) for r in rows]),
            torch.tensor([int(r[2]) for r in rows]), torch.tensor([[float(v) for v in r[3:]] for r in rows],
                                                                  dtype=torch.float64))


def check(case, tol):
    index, labels, predicted, theirs = read_logits(case["logits"])
    assert torch.equal(index, torch.arange(len(index))), "the logits must be of the first images in file order"
    sidecar = json.loads(Path(case["model"]).with_suffix(".json").read_text())
    norm = sidecar["normalisation"]
    sd = load_file(case["model"])
    images = read_images(case["data"], len(index)).float() / 255
    pad = norm.get("pad", 0)
    if pad:
        images = F.pad(images, (pad, pad, pad, pad))  # zero pixels before normalising, like torchvision's Pad
    x = (images - torch.tensor(norm["mean"]).view(1, -1, 1, 1)) / torch.tensor(norm["std"]).view(1, -1, 1, 1)
    model = build(sidecar["architecture"], theirs.shape[1], x.shape[1])
    model.load_state_dict(sd, strict=True)
    model.eval()
    with torch.no_grad():
        ours = torch.cat([model(b) for b in x.split(256)]).double()
    scale = max(1.0, theirs.abs().max().item())
    diff = (ours - theirs).abs().max().item()
    same = ours.argmax(1) == predicted
    top2 = theirs.topk(2, dim=1).values
    clear = (top2[:, 0] - top2[:, 1]) > tol * scale
    ok = diff <= tol * scale and bool(same[clear].all())
    return {"case": case["name"], "arch": sidecar["architecture"], "tensors": len(sd), "images": len(index),
            "maxAbsDiff": diff, "maxAbsLogit": theirs.abs().max().item(),
            "predictionAgreement": same.double().mean().item(),
            "top1": (ours.argmax(1) == labels).double().mean().item(),
            "top1Workbench": (predicted == labels).double().mean().item(), "ok": ok}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("manifest")
    ap.add_argument("--tol", type=float, default=1e-4, help="largest logit difference, relative to max(1, |logit|)")
    args = ap.parse_args()
    manifest = json.loads(Path(args.manifest).read_text())
    print(f"torch {torch.__version__}; tolerance {args.tol}")
    print("| case | architecture | tensors | images | top-1 PyTorch | top-1 workbench | max abs logit difference"
          " | max abs logit | same prediction | ok |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    failed = 0
    for case in manifest["cases"]:
        try:
            r = check(case, args.tol)
        except Exception as e:  # a failed case is reported, and the others still run
            print(f"| {case['name']} | – | – | – | – | – | – | – | – | FAILED: {type(e).__name__}: {e} |")
            failed += 1
            continue
        failed += not r["ok"]
        print(f"| {r['case']} | `{r['arch']}` | {r['tensors']} | {r['images']} | {100 * r['top1']:.1f}% "
              f"| {100 * r['top1Workbench']:.1f}% | {r['maxAbsDiff']:.2e} "
              f"| {r['maxAbsLogit']:.1f} | {100 * r['predictionAgreement']:.2f}% | {'yes' if r['ok'] else 'NO'} |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
