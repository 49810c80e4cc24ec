package dev.memoryguard.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryReading;
import dev.memoryguard.MemorySnapshot;
import dev.memoryguard.MemoryThresholds;

/**
 * What one GC notification costs the guard: the probe's reading ({@code read}) and the
 * whole re-evaluation the notification triggers ({@code refresh}: reading, level,
 * snapshot). Shenandoah sends up to 180 notifications a second near a full heap, so the
 * listener's share of a core is this time multiplied by 180.
 * <p>
 * Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar GcNotificationBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GcNotificationBenchmark {

	private JvmMemoryProbe probe;

	private MemoryGuard guard;

	@Setup
	public void setUp() {
		this.probe = new JvmMemoryProbe(MemoryThresholds.DEFAULTS, false);
		this.guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofHours(1));
	}

	@Benchmark
	public MemoryReading read() {
		return this.probe.read();
	}

	@Benchmark
	public MemorySnapshot refresh() {
		return this.guard.refresh();
	}

}
