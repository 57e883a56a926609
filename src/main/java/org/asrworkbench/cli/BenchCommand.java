package org.asrworkbench.cli;

import org.asrworkbench.core.bench.ForwardBenchmark;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bench forward}: the graph executor's throughput against a plain DJL loop, as a ratio from one run. */
@Command(name = "bench", description = "Benchmark the graph executor against a plain DJL forward loop (CIFAR ResNets).")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Option(names = "--rounds", defaultValue = "3", description = "timed rounds of each variant (default: ${DEFAULT-VALUE})")
    int rounds;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = CliSupport.model(spec, common);
        if (m.arch().family() != org.asrworkbench.core.arch.ArchSpec.Family.CIFAR_RESNET || m.arch().width() != 1) {
            throw new IllegalArgumentException("the forward benchmark's plain baseline is written for CIFAR ResNets, not "
                    + m.arch());
        }
        try (ImageDataset data = CliSupport.data(spec, common, m, common.data, "test")) {
            int limit = common.limit == null ? data.size() : common.limit;
            Map<String, Object> r = ForwardBenchmark.run(m, data, limit, common.batchSize, rounds, common.device);
            JsonOut.print(spec.commandLine().getOut(), r);
        }
        return 0;
    }
}
