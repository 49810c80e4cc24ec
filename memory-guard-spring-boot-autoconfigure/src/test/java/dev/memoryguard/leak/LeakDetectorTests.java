package dev.memoryguard.leak;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;

import org.junit.jupiter.api.Test;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link LeakDetector} on synthetic live-heap series.
 */
class LeakDetectorTests {

	private static final long MB = 1024 * 1024;

	private static final long MAX_HEAP = 2048 * MB;

	private static final Duration WINDOW = Duration.ofMinutes(10);

	private final List<Object> events = new ArrayList<>();

	private final ManualMemoryProbe probe = new ManualMemoryProbe();

	private final MutableClock clock = new MutableClock(Instant.EPOCH);

	private final MemoryGuard guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS,
			Duration.ofSeconds(1));

	private final LeakDetector detector = new LeakDetector(this.guard, WINDOW, 0.5, this.events::add,
			this.clock);

	@Test
	void linearLeakIsSuspectedAfterOneWindowWithForecastWithinTenPercentOfTruth() {
		double bytesPerSecond = 0.5 * MB;
		LongUnaryOperator live = (second) -> 100 * MB + (long) (bytesPerSecond * second);
		long suspectedAt = feedUntilSuspected(live, 3600);
		assertThat(suspectedAt).isGreaterThanOrEqualTo(WINDOW.toSeconds());
		LeakReport report = this.detector.report();
		assertThat(report.suspected()).isTrue();
		assertThat(report.window()).isEqualTo(WINDOW);
		assertThat(report.growthRatio()).isGreaterThan(0.5);
		double truth = (MAX_HEAP - live.applyAsLong(suspectedAt)) / bytesPerSecond;
		assertThat(report.exhaustionForecast()).isNotNull();
		assertThat((double) report.exhaustionForecast().toSeconds()).isCloseTo(truth, within(truth * 0.1));
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(LeakSuspectedEvent.class, (event) -> assertThat(event.report()).isEqualTo(report));
	}

	@Test
	void suspicionIsPublishedOncePerEpisode() {
		LongUnaryOperator live = (second) -> 100 * MB + second * MB / 2;
		feed(live, 0, 900);
		assertThat(this.detector.report().suspected()).isTrue();
		assertThat(this.events).hasSize(1);
		long level = live.applyAsLong(900);
		feed((second) -> level, 901, 2700);
		assertThat(this.detector.report().suspected()).isFalse();
		assertThat(this.detector.report().exhaustionForecast()).isNull();
		feed((second) -> level + (second - 2700) * MB, 2701, 3300);
		assertThat(this.detector.report().suspected()).isTrue();
		assertThat(this.events).hasSize(2);
	}

	@Test
	void lessThanOneWindowOfHistoryIsNeverSuspected() {
		feed((second) -> 100 * MB + second * 2 * MB, 0, WINDOW.toSeconds() - 1);
		LeakReport report = this.detector.report();
		assertThat(report.suspected()).isFalse();
		assertThat(report.growthRatio()).isZero();
		assertThat(report.exhaustionForecast()).isNull();
		assertThat(this.events).isEmpty();
	}

	@Test
	void tooFewSamplesInTheWindowAreNeverSuspected() {
		for (long second = 0; second <= 7200; second += 150) {
			this.detector.record(second * 1000, 100 * MB + second * MB, MAX_HEAP);
			assertThat(this.detector.report().suspected()).isFalse();
		}
		assertThat(this.events).isEmpty();
	}

	@Test
	void stableSawtoothIsNotSuspected() {
		// collected every minute back to 300 MB, 300 MB of garbage in between
		feedNeverSuspected((second) -> 300 * MB + (second % 60) * 5 * MB, 7200);
		assertThat(this.detector.report().exhaustionForecast()).isNull();
	}

	@Test
	void warmUpThatLevelsOffIsNotSuspected() {
		// grows from 100 MB to 400 MB over the first 5 minutes, then stays there
		feedNeverSuspected((second) -> 100 * MB + Math.min(second, 300) * MB, 7200);
		assertThat(this.detector.report().growthRatio()).isZero();
		assertThat(this.detector.report().exhaustionForecast()).isNull();
	}

	@Test
	void noiseAroundAStableLevelIsNotSuspected() {
		Random random = new Random(42);
		feedNeverSuspected((second) -> 500 * MB + (long) (random.nextGaussian() * 40 * MB), 7200);
	}

	@Test
	void leakUnderNoiseIsSuspected() {
		Random random = new Random(7);
		feedUntilSuspected((second) -> 200 * MB + second * MB / 2 + (long) (random.nextGaussian() * 30 * MB), 3600);
		assertThat(this.detector.report().exhaustionForecast()).isNotNull();
	}

	@Test
	void fallingLiveHeapHasNoForecast() {
		feed((second) -> 1500 * MB - second * MB, 0, 1200);
		LeakReport report = this.detector.report();
		assertThat(report.suspected()).isFalse();
		assertThat(report.growthRatio()).isNegative();
		assertThat(report.exhaustionForecast()).isNull();
	}

	@Test
	void sampleReadsTheGuardsLiveHeapAtTheClocksTime() {
		for (int second = 0; second <= 900; second++) {
			this.probe.setHeapMax(MAX_HEAP).setLiveRatio(0.05 + second * 0.0005);
			this.guard.refresh();
			this.clock.set(Instant.EPOCH.plusSeconds(second));
			this.detector.sample();
		}
		LeakReport report = this.detector.report();
		assertThat(report.suspected()).isTrue();
		// 0.0005 of max heap a second, from 0.5 at second 900: about 1000 seconds left
		assertThat((double) report.exhaustionForecast().toSeconds()).isCloseTo(1000, within(100.0));
	}

	private long feedUntilSuspected(LongUnaryOperator live, long maxSeconds) {
		for (long second = 0; second <= maxSeconds; second++) {
			if (this.detector.record(second * 1000, live.applyAsLong(second), MAX_HEAP).suspected()) {
				return second;
			}
		}
		throw new AssertionError("no leak suspected within " + maxSeconds + " s: " + this.detector.report());
	}

	private void feedNeverSuspected(LongUnaryOperator live, long seconds) {
		for (long second = 0; second <= seconds; second++) {
			LeakReport report = this.detector.record(second * 1000, live.applyAsLong(second), MAX_HEAP);
			assertThat(report.suspected()).as("suspected at %d s: %s", second, report).isFalse();
		}
		assertThat(this.events).isEmpty();
	}

	private void feed(LongUnaryOperator live, long from, long to) {
		for (long second = from; second <= to; second++) {
			this.detector.record(second * 1000, live.applyAsLong(second), MAX_HEAP);
		}
	}

}
