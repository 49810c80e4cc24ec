package dev.memoryguard;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.memoryguard.container.ContainerUsage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryThresholds}.
 */
class MemoryThresholdsTests {

	private static final long MAX = 1000;

	private static final long MB = 1024 * 1024;

	private final MemoryThresholds thresholds = MemoryThresholds.DEFAULTS;

	@Test
	void liveHeapBelowWarningIsNormal() {
		assertThat(heap(0.69, MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.NORMAL);
	}

	@Test
	void liveHeapAtWarningIsWarning() {
		assertThat(heap(0.70, MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.WARNING);
	}

	@Test
	void liveHeapAtCriticalIsCritical() {
		assertThat(heap(0.85, MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.CRITICAL);
	}

	@Test
	void criticalIsKeptWithinTheRecoveryMargin() {
		assertThat(heap(0.81, MemoryPressure.CRITICAL)).isEqualTo(MemoryPressure.CRITICAL);
		assertThat(heap(0.79, MemoryPressure.CRITICAL)).isEqualTo(MemoryPressure.WARNING);
	}

	@Test
	void warningIsKeptWithinTheRecoveryMargin() {
		assertThat(heap(0.66, MemoryPressure.WARNING)).isEqualTo(MemoryPressure.WARNING);
		assertThat(heap(0.64, MemoryPressure.WARNING)).isEqualTo(MemoryPressure.NORMAL);
	}

	@Test
	void criticalFallsStraightToNormalWhenTheHeapEmpties() {
		assertThat(heap(0.10, MemoryPressure.CRITICAL)).isEqualTo(MemoryPressure.NORMAL);
	}

	@Test
	void containerSignalIsWhatLiesOutsideTheHeapAgainstTheRoomBeyondMaxHeap() {
		// 2 GiB limit, 1.6 GiB heap committed and touched: 300 MB outside of 400 MB of room
		MemoryReading reading = container(2048 * MB, 1638 * MB + 300 * MB, 1638 * MB, 1638 * MB);
		assertThat(reading.outsideHeap()).isEqualTo(300 * MB);
		assertThat(reading.containerRatio()).isCloseTo(300.0 / 410, within());
		assertThat(reading.outsideHeapRatio()).isEqualTo(reading.containerRatio());
		assertThat(this.thresholds.containerLevel(reading, MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.NORMAL);
	}

	@Test
	void aCommittedHeapNearTheLimitIsNotContainerPressure() {
		// the working set is 95% of the limit, all but 60 MB of it heap
		MemoryReading reading = container(2048 * MB, 1946 * MB, 1886 * MB, 1900 * MB);
		assertThat((double) reading.container().workingSet() / reading.containerLimit()).isGreaterThan(0.94);
		assertThat(this.thresholds.containerLevel(reading, MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.NORMAL);
	}

	@Test
	void memoryOutsideTheHeapFillingTheRoomIsCritical() {
		MemoryReading reading = container(320 * MB, 96 * MB + 215 * MB, 96 * MB, 96 * MB);
		assertThat(reading.containerRatio()).isGreaterThan(0.95);
		assertThat(this.thresholds.containerLevel(reading, MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.CRITICAL);
	}

	@Test
	void untouchedCommittedHeapDoesNotHideWhatTheJvmKnowsToBeOutsideIt() {
		// heap committed but untouched: the working set alone would read nothing outside it
		MemoryReading reading = new MemoryReading(10 * MB, 900 * MB, 900 * MB, 10 * MB, 60 * MB, 70 * MB, 40 * MB, 3,
				-1, ContainerUsage.of(1024 * MB, 200 * MB), 0, Duration.ZERO, 0);
		assertThat(reading.outsideHeap()).isEqualTo(100 * MB);
		assertThat(reading.containerRatio()).isCloseTo(100.0 / 124, within());
	}

	@Test
	void aLimitThatLeavesNoRoomBeyondTheHeapFallsBackToWorkingSetOverLimit() {
		MemoryReading reading = container(1024 * MB, 980 * MB, 900 * MB, 1000 * MB);
		assertThat(reading.outsideHeapRatio()).isNaN();
		assertThat(reading.containerRatio()).isCloseTo(980.0 / 1024, within());
		assertThat(this.thresholds.containerLevel(reading, MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.CRITICAL);
	}

	@Test
	void memoryHighBelowTheLimitRaisesWarningButNotCritical() {
		ContainerUsage usage = new ContainerUsage(2, "/app", 1024 * MB, 768 * MB, 700 * MB, 700 * MB, 0, Double.NaN);
		MemoryReading reading = reading(0.10, 512 * MB, usage);
		// 188 MB outside the heap: 37% of the 512 MB beyond max heap, 73% of the 256 MB under memory.high
		assertThat(reading.containerRatio()).isLessThan(0.5);
		assertThat(reading.containerHighRatio()).isLessThan(0.85);
		assertThat(this.thresholds.containerLevel(reading, MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.NORMAL);
		ContainerUsage nearHigh = new ContainerUsage(2, "/app", 1024 * MB, 768 * MB, 740 * MB, 740 * MB, 0, Double.NaN);
		MemoryReading warning = reading(0.10, 512 * MB, nearHigh);
		assertThat(warning.containerHighRatio()).isGreaterThanOrEqualTo(0.85);
		assertThat(this.thresholds.containerLevel(warning, MemoryPressure.NORMAL)).isEqualTo(MemoryPressure.WARNING);
	}

	@Test
	void memoryStallRaisesWarningWithItsOwnHysteresis() {
		ContainerUsage stalled = new ContainerUsage(2, "/app", 1024 * MB, -1, 100 * MB, 100 * MB, 0, 0.25);
		assertThat(this.thresholds.containerLevel(reading(0.10, 512 * MB, stalled), MemoryPressure.NORMAL))
			.isEqualTo(MemoryPressure.WARNING);
		ContainerUsage easing = new ContainerUsage(2, "/app", 1024 * MB, -1, 100 * MB, 100 * MB, 0, 0.15);
		assertThat(this.thresholds.containerLevel(reading(0.10, 512 * MB, easing), MemoryPressure.WARNING))
			.isEqualTo(MemoryPressure.WARNING);
		assertThat(this.thresholds.containerLevel(reading(0.10, 512 * MB, easing), MemoryPressure.NORMAL))
			.isEqualTo(MemoryPressure.NORMAL);
	}

	@Test
	void eachSignalKeepsItsOwnHysteresis() {
		// a container reading at 0.92 leaves a container CRITICAL within the margin, but does
		// not keep a container that was only at WARNING in CRITICAL
		MemoryReading reading = container(1000 * MB, 500 * MB + 460 * MB, 500 * MB, 500 * MB);
		assertThat(reading.containerRatio()).isCloseTo(0.92, within());
		assertThat(this.thresholds.containerLevel(reading, MemoryPressure.CRITICAL)).isEqualTo(MemoryPressure.CRITICAL);
		assertThat(this.thresholds.containerLevel(reading, MemoryPressure.WARNING)).isEqualTo(MemoryPressure.WARNING);
	}

	@Test
	void noContainerLimitLeavesTheContainerSignalNormal() {
		MemoryReading reading = reading(0.10, 512 * MB, ContainerUsage.NONE);
		assertThat(reading.containerRatio()).isNaN();
		assertThat(this.thresholds.containerLevel(reading, MemoryPressure.CRITICAL)).isEqualTo(MemoryPressure.NORMAL);
	}

	private MemoryPressure heap(double liveRatio, MemoryPressure current) {
		return this.thresholds.heapLevel(liveRatio, current);
	}

	private static org.assertj.core.data.Offset<Double> within() {
		return org.assertj.core.data.Offset.offset(0.005);
	}

	private static MemoryReading container(long limit, long workingSet, long heapCommitted, long heapMax) {
		return new MemoryReading(heapCommitted / 2, heapCommitted, heapMax, heapCommitted / 4, 30 * MB, 40 * MB, 0, 0,
				workingSet,
				ContainerUsage.of(limit, workingSet), 0, Duration.ZERO, 0);
	}

	static MemoryReading reading(double liveRatio, long heapMax, ContainerUsage container) {
		long live = Math.round(heapMax * liveRatio);
		return new MemoryReading(live, heapMax, heapMax, live, 0, 0, 0, 0, container.workingSet(), container, 0,
				Duration.ZERO, 0);
	}

}
