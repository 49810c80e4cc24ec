package dev.memoryguard;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryThresholds}.
 */
class MemoryThresholdsTests {

	private static final long MAX = 1000;

	private final MemoryThresholds thresholds = MemoryThresholds.DEFAULTS;

	@Test
	void liveHeapBelowWarningIsNormal() {
		assertThat(this.thresholds.levelFor(live(0.69), MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.NORMAL);
	}

	@Test
	void liveHeapAtWarningIsWarning() {
		assertThat(this.thresholds.levelFor(live(0.70), MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.WARNING);
	}

	@Test
	void liveHeapAtCriticalIsCritical() {
		assertThat(this.thresholds.levelFor(live(0.85), MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.CRITICAL);
	}

	@Test
	void criticalIsKeptWithinTheRecoveryMargin() {
		assertThat(this.thresholds.levelFor(live(0.81), MemoryPressure.CRITICAL)).isEqualTo(MemoryPressure.CRITICAL);
		assertThat(this.thresholds.levelFor(live(0.79), MemoryPressure.CRITICAL)).isEqualTo(MemoryPressure.WARNING);
	}

	@Test
	void warningIsKeptWithinTheRecoveryMargin() {
		assertThat(this.thresholds.levelFor(live(0.66), MemoryPressure.WARNING)).isEqualTo(MemoryPressure.WARNING);
		assertThat(this.thresholds.levelFor(live(0.64), MemoryPressure.WARNING)).isEqualTo(MemoryPressure.NORMAL);
	}

	@Test
	void criticalFallsStraightToNormalWhenTheHeapEmpties() {
		assertThat(this.thresholds.levelFor(live(0.10), MemoryPressure.CRITICAL)).isEqualTo(MemoryPressure.NORMAL);
	}

	@Test
	void theWorseOfHeapAndContainerWins() {
		MemoryReading containerCritical = reading(0.10, 960, 1000);
		assertThat(this.thresholds.levelFor(containerCritical, MemoryPressure.NORMAL))
			.isEqualTo(MemoryPressure.CRITICAL);
		MemoryReading heapCriticalContainerFine = reading(0.90, 100, 1000);
		assertThat(this.thresholds.levelFor(heapCriticalContainerFine, MemoryPressure.NORMAL))
			.isEqualTo(MemoryPressure.CRITICAL);
		MemoryReading containerWarning = reading(0.10, 860, 1000);
		assertThat(this.thresholds.levelFor(containerWarning, MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.WARNING);
	}

	@Test
	void noContainerLimitLeavesTheHeapSignalAlone() {
		assertThat(this.thresholds.levelFor(reading(0.10, 5000, -1), MemoryPressure.NORMAL))
			.isEqualTo(MemoryPressure.NORMAL);
	}

	private static MemoryReading live(double ratio) {
		return reading(ratio, -1, -1);
	}

	static MemoryReading reading(double liveRatio, long rss, long limit) {
		long live = Math.round(MAX * liveRatio);
		return new MemoryReading(live, MAX, MAX, live, 0, 0, 0, 0, rss, limit, 0, Duration.ZERO, 0);
	}

}
