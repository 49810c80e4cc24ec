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
import org.openjdk.jmh.annotations.TearDown;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.web.Admission;
import dev.memoryguard.web.GuardedPaths;
import dev.memoryguard.web.HttpShedding;
import dev.memoryguard.web.MemoryPressureProblems;

/**
 * What the admission check adds to a request at NORMAL, on a running guard with the real
 * probe: a request without a body (one read of the level) and one with a 1 KB body
 * (the level, the headroom, a reservation and its release). Run with {@code -prof gc} to
 * see that neither allocates.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar AdmissionBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AdmissionBenchmark {

	private MemoryGuard guard;

	private Admission admission;

	@Setup
	public void startGuard() {
		this.guard = new MemoryGuard(new JvmMemoryProbe(0.85), MemoryThresholds.DEFAULTS, Duration.ofSeconds(1));
		this.guard.start();
		this.admission = new Admission(this.guard, MemoryPressure.CRITICAL, 2,
				new GuardedPaths(List.of("/**"), List.of(), List::of),
				new MemoryPressureProblems(Duration.ofSeconds(10)), new HttpShedding(true, MemoryPressure.NORMAL));
	}

	@TearDown
	public void stopGuard() {
		this.guard.stop();
	}

	@Benchmark
	public long admitWithoutBody() {
		return this.admission.admit(-1);
	}

	@Benchmark
	public long admitAndReleaseBody() {
		long reserved = this.admission.admit(1024);
		this.admission.release(reserved);
		return reserved;
	}

}
