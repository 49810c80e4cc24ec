package dev.memoryguard.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.util.unit.DataSize;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryThresholds;

/**
 * What asking the guard costs a caller, against asking the JVM directly: {@code pressure()}
 * and {@code isSafeFor(..)} of a running guard on the real probe, against
 * {@code MemoryMXBean.getHeapMemoryUsage()} (what a hand-rolled check calls).
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar MemoryGuardBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MemoryGuardBenchmark {

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private final DataSize required = DataSize.ofMegabytes(10);

	private MemoryGuard guard;

	@Setup
	public void startGuard() {
		this.guard = new MemoryGuard(new JvmMemoryProbe(0.85), MemoryThresholds.DEFAULTS, Duration.ofSeconds(1));
		this.guard.start();
	}

	@TearDown
	public void stopGuard() {
		this.guard.stop();
	}

	@Benchmark
	public MemoryPressure pressure() {
		return this.guard.pressure();
	}

	@Benchmark
	public boolean isSafeFor() {
		return this.guard.isSafeFor(this.required);
	}

	@Benchmark
	public MemoryUsage memoryMXBeanHeapUsage() {
		return this.memory.getHeapMemoryUsage();
	}

}
