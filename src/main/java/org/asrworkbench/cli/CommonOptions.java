package org.asrworkbench.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** Options shared by every command that takes them; scripts can rely on these names. */
public final class CommonOptions {
    @Option(names = "--model", paramLabel = "FILE", description = "model: safetensors, a PyTorch checkpoint (.th/.pt/.pth, zip or legacy), or ONNX (.onnx; without a sidecar JSON beside it, give --norm)")
    Path model;

    @Option(names = "--arch", paramLabel = "NAME", description = "architecture (when omitted: the one in the model's sidecar, else detected from the weights), e.g. resnet20, resnet18-cifar, vgg16_bn, mobilenet_v2-cifar")
    String arch;

    @Option(names = "--data", paramLabel = "FILE|DIR", description = "evaluation data: CIFAR .bin or python batch, IDX file or directory, ImageFolder directory")
    Path data;

    @Option(names = "--format", paramLabel = "NAME", description = "dataset format when detection is not wanted (cifar10-bin, cifar100-bin, idx, imagefolder, ...)")
    String format;

    @Option(names = "--norm", paramLabel = "PRESET|FILE", description = "input normalisation: cifar, imagenet, fashion-mnist, or a JSON file (default: the model's sidecar JSON)")
    String norm;

    @Option(names = "--limit", paramLabel = "K", description = "evaluate only the first K images in file order")
    Integer limit;

    int batchSize;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "128", description = "images per batch, 1 to "
            + CliSupport.MAX_BATCH + " (default: ${DEFAULT-VALUE})")
    void batchSize(int b) {
        batchSize = CliSupport.batchSize(spec, "--batch-size", b);
    }

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "auto", description = "compute device: cpu, gpu, or auto (GPU when the engine reports one)")
    String device;
}
