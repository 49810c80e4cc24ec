package dev.memoryguard.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.memoryguard.container.ContainerMemory;
import dev.memoryguard.container.ContainerUsage;

/**
 * What one container reading costs: every file the guard reads per sample in a limited
 * cgroup v1 (the limit on each level of the path, usage, {@code memory.stat}, the OOM
 * counter, the unified hierarchy's pressure file), beside the {@code /proc/self/status}
 * read of the RSS that was the whole container reading before. The benchmark JVM moves
 * itself into a child of its own memory cgroup with a 1 GiB limit for the run (root only).
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ContainerReadBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ContainerReadBenchmark {

	private BenchmarkCgroup cgroup;

	private ContainerMemory container;

	@Setup(Level.Trial)
	public void joinLimitedCgroup() throws Exception {
		this.cgroup = BenchmarkCgroup.create("container-read", 1L << 30);
		this.cgroup.join(ProcessHandle.current().pid());
		this.container = ContainerMemory.system();
		if (!this.container.read().isLimited()) {
			throw new IllegalStateException("the benchmark JVM does not see its cgroup's limit");
		}
	}

	@TearDown(Level.Trial)
	public void leaveCgroup() throws Exception {
		this.cgroup.leave(ProcessHandle.current().pid());
		this.cgroup.remove();
	}

	@Benchmark
	public ContainerUsage cgroupReading() {
		return this.container.read();
	}

	@Benchmark
	public long procSelfStatusRss() {
		return this.container.rss();
	}

}
