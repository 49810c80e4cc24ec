package dev.memoryguard.actuate.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.job.JobAccounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MemoryHistory}.
 */
class MemoryHistoryTests {

	private final ManualMemoryProbe probe = new ManualMemoryProbe();

	private final JobAccounting jobs = new JobAccounting();

	private final MutableClock clock = new MutableClock();

	private final MemoryGuard guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofSeconds(1),
			this.jobs, this.clock);

	@Test
	void capacityHoldsFifteenMinutesAtTheSamplingInterval() {
		assertThat(MemoryHistory.capacityFor(Duration.ofSeconds(1))).isEqualTo(900);
		assertThat(MemoryHistory.capacityFor(Duration.ofMillis(250))).isEqualTo(3600);
		assertThat(MemoryHistory.capacityFor(Duration.ofSeconds(7))).isEqualTo(129);
		assertThat(MemoryHistory.capacityFor(Duration.ofHours(1))).isEqualTo(1);
		assertThatIllegalArgumentException().isThrownBy(() -> MemoryHistory.capacityFor(Duration.ZERO));
	}

	@Test
	void tenThousandSamplesStayWithinTheBoundOldestFirst() {
		MemoryHistory history = new MemoryHistory(Duration.ofSeconds(1));
		for (int i = 1; i <= 10_000; i++) {
			this.clock.set(i);
			this.probe.setLiveRatio((i % 100) / 100.0);
			history.onSample(this.guard.refresh());
			assertThat(history.points()).hasSizeLessThanOrEqualTo(900);
		}
		List<HistoryPoint> points = history.points();
		assertThat(history.capacity()).isEqualTo(900);
		assertThat(points).hasSize(900);
		assertThat(points.get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(10_000 - 899));
		assertThat(points.get(899).timestamp()).isEqualTo(Instant.ofEpochSecond(10_000));
		for (int i = 1; i < points.size(); i++) {
			assertThat(points.get(i).timestamp()).isEqualTo(points.get(i - 1).timestamp().plusSeconds(1));
		}
		assertThat(points.get(899).liveRatio()).isEqualTo(0.0);
		assertThat(points.get(898).liveRatio()).isCloseTo(0.99, offset(1e-6));
	}

	@Test
	void partlyFilledHistoryReturnsOnlyWhatWasRecorded() {
		MemoryHistory history = new MemoryHistory(5);
		assertThat(history.points()).isEmpty();
		for (int i = 1; i <= 3; i++) {
			this.clock.set(i);
			this.probe.setLiveRatio(0.1 * i);
			history.onSample(this.guard.refresh());
		}
		assertThat(history.points()).extracting(HistoryPoint::timestamp)
			.containsExactly(Instant.ofEpochSecond(1), Instant.ofEpochSecond(2), Instant.ofEpochSecond(3));
	}

	@Test
	void pointCarriesLevelRatiosAndRssRatioOnlyWithAContainerLimit() {
		MemoryHistory history = new MemoryHistory(10);
		this.probe.setUsedRatio(0.97);
		this.probe.setLiveRatio(0.9);
		history.onSample(this.guard.refresh());
		this.probe.setRss(600L << 20, 1000L << 20);
		history.onSample(this.guard.refresh());
		HistoryPoint withoutLimit = history.points().get(0);
		assertThat(withoutLimit.pressure()).isEqualTo(MemoryPressure.CRITICAL);
		assertThat(withoutLimit.liveRatio()).isCloseTo(0.9, offset(1e-6));
		assertThat(withoutLimit.usedRatio()).isCloseTo(0.97, offset(1e-6));
		assertThat(withoutLimit.rssRatio()).isNull();
		assertThat(history.points().get(1).rssRatio()).isEqualTo(0.6);
	}

	@Test
	void jobCountsAreRunningTotalsAcrossJobsIncludingEarlierOutcomes() {
		this.jobs.recordRun("before", 10, Duration.ZERO);
		MemoryHistory history = new MemoryHistory(10).attachTo(this.guard);
		history.onSample(this.guard.refresh());
		this.jobs.recordRun("a", 100, Duration.ofMillis(5));
		this.jobs.recordRun("b", 100, Duration.ofMillis(5));
		this.jobs.recordSkipped("a");
		this.jobs.recordDeferred("b");
		this.jobs.recordDeferred("b");
		this.jobs.recordFailed("a");
		history.onSample(this.guard.refresh());
		HistoryPoint first = history.points().get(0);
		HistoryPoint second = history.points().get(1);
		assertThat(first.runs()).isEqualTo(1);
		assertThat(first.skipped() + first.deferred() + first.failed()).isZero();
		assertThat(second.runs()).isEqualTo(3);
		assertThat(second.skipped()).isEqualTo(1);
		assertThat(second.deferred()).isEqualTo(2);
		assertThat(second.failed()).isEqualTo(1);
	}

	@Test
	void attachedHistoryRecordsTheSamplerReadings() {
		MemoryGuard fast = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofMillis(20));
		MemoryHistory history = new MemoryHistory(fast.samplingInterval()).attachTo(fast);
		fast.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> history.points().size() >= 3);
		}
		finally {
			fast.stop();
		}
		assertThat(history.capacity()).isEqualTo(45_000);
	}

	static final class MutableClock extends Clock {

		private volatile Instant instant = Instant.EPOCH;

		void set(long epochSecond) {
			this.instant = Instant.ofEpochSecond(epochSecond);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.instant;
		}

	}

}
