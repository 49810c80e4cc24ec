package dev.memoryguard.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemorySnapshot;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.actuate.history.HistoryPoint;
import dev.memoryguard.actuate.history.MemoryHistory;

/**
 * What recording one sample in the {@link MemoryHistory} costs on the sampler thread
 * (time, and with {@code -prof gc} the bytes allocated per sample, which should be one
 * {@link HistoryPoint} and nothing else), with and without a container limit (the RSS
 * ratio is then boxed), and what reading the full 15 minutes (900 points) costs.
 * <p>
 * Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar MemoryHistoryBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MemoryHistoryBenchmark {

	private MemoryHistory history;

	private MemorySnapshot snapshot;

	private MemorySnapshot limitedSnapshot;

	@Setup
	public void setUp() {
		ManualMemoryProbe probe = new ManualMemoryProbe();
		MemoryGuard guard = new MemoryGuard(probe, MemoryThresholds.DEFAULTS, Duration.ofSeconds(1));
		this.history = new MemoryHistory(Duration.ofSeconds(1)).attachTo(guard);
		guard.jobs().recordRun("job", 1024, Duration.ofMillis(1));
		probe.setLiveRatio(0.42);
		this.snapshot = guard.refresh();
		probe.setRss(600L << 20, 1024L << 20);
		this.limitedSnapshot = guard.refresh();
		for (int i = 0; i < this.history.capacity(); i++) {
			this.history.onSample(this.snapshot);
		}
	}

	@Benchmark
	public MemoryHistory sample() {
		this.history.onSample(this.snapshot);
		return this.history;
	}

	@Benchmark
	public MemoryHistory sampleWithContainerLimit() {
		this.history.onSample(this.limitedSnapshot);
		return this.history;
	}

	@Benchmark
	public List<HistoryPoint> readFifteenMinutes() {
		return this.history.points();
	}

}
