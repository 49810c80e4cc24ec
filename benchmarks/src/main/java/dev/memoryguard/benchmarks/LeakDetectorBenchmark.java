package dev.memoryguard.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.leak.LeakDetector;
import dev.memoryguard.leak.LeakReport;

/**
 * Cost of one leak-detector sample ({@link LeakDetector#sample()}: read the guard's
 * snapshot, add it to the history, re-analyse the window), with the history full: a 1 h
 * window sampled every 3.6 s holds the detector's maximum of 1024 points; a 20 s window
 * sampled every second holds 21. The detector samples once per sampling interval (1 s by
 * default) on its own thread, so this is the whole of its CPU cost.
 * <p>
 * Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar LeakDetectorBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LeakDetectorBenchmark {

	@Param({ "1h", "20s" })
	public String window;

	private LeakDetector detector;

	private SteppingClock clock;

	@Setup(Level.Trial)
	public void setUp() {
		ManualMemoryProbe probe = new ManualMemoryProbe().setLiveRatio(0.4);
		MemoryGuard guard = new MemoryGuard(probe, MemoryThresholds.DEFAULTS,
				Duration.ofSeconds(1));
		Duration duration = "1h".equals(this.window) ? Duration.ofHours(1) : Duration.ofSeconds(20);
		Duration step = "1h".equals(this.window) ? Duration.ofMillis(3600) : Duration.ofSeconds(1);
		this.clock = new SteppingClock(step);
		this.detector = new LeakDetector(guard, duration, 0.5, (event) -> {
		}, this.clock);
		for (int i = 0; i < 2000; i++) {
			this.detector.sample();
		}
	}

	@Benchmark
	public LeakReport sample() {
		return this.detector.sample();
	}

	/**
	 * A clock that moves on by one step every time it is read.
	 */
	static final class SteppingClock extends Clock {

		private final long stepMillis;

		private long millis;

		SteppingClock(Duration step) {
			this.stepMillis = step.toMillis();
		}

		@Override
		public long millis() {
			this.millis += this.stepMillis;
			return this.millis;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(millis());
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
