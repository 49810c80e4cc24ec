package dev.memoryguard;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GarbageCollector}.
 */
class GarbageCollectorTests {

	@Test
	void everyHotSpotCollectorIsRecognisedByItsHeapPools() {
		assertThat(GarbageCollector.fromHeapPools(List.of("Eden Space", "Survivor Space", "Tenured Gen")))
			.isEqualTo(GarbageCollector.SERIAL);
		assertThat(GarbageCollector.fromHeapPools(List.of("PS Eden Space", "PS Survivor Space", "PS Old Gen")))
			.isEqualTo(GarbageCollector.PARALLEL);
		assertThat(GarbageCollector.fromHeapPools(List.of("G1 Eden Space", "G1 Old Gen", "G1 Survivor Space")))
			.isEqualTo(GarbageCollector.G1);
		assertThat(GarbageCollector.fromHeapPools(List.of("ZHeap"))).isEqualTo(GarbageCollector.ZGC);
		assertThat(GarbageCollector.fromHeapPools(List.of("ZGC Young Generation", "ZGC Old Generation")))
			.isEqualTo(GarbageCollector.GENERATIONAL_ZGC);
		assertThat(GarbageCollector.fromHeapPools(List.of("Shenandoah"))).isEqualTo(GarbageCollector.SHENANDOAH);
		assertThat(GarbageCollector.fromHeapPools(List.of("Shenandoah Young Gen", "Shenandoah Old Gen")))
			.isEqualTo(GarbageCollector.GENERATIONAL_SHENANDOAH);
		assertThat(GarbageCollector.fromHeapPools(List.of("JavaHeap"))).isEqualTo(GarbageCollector.OTHER);
	}

	@Test
	void runningCollectorIsRecognised() {
		assertThat(GarbageCollector.current()).isNotEqualTo(GarbageCollector.OTHER);
	}

	@Test
	void collectorThatNeedsHeadroomLowersDefaultThresholds() {
		MemoryThresholds effective = GarbageCollector.PARALLEL.effectiveThresholds(MemoryThresholds.DEFAULTS, false,
				false);
		assertThat(effective.critical()).isEqualTo(GarbageCollector.PARALLEL.defaultCritical()).isLessThan(0.85);
		assertThat(effective.warning()).isEqualTo(GarbageCollector.PARALLEL.defaultWarning());
		assertThat(effective.recoveryMargin()).isEqualTo(MemoryThresholds.DEFAULTS.recoveryMargin());
	}

	@Test
	void explicitThresholdsAreKept() {
		MemoryThresholds configured = new MemoryThresholds(0.75, 0.9, 0.05, 0.85, 0.95);
		assertThat(GarbageCollector.ZGC.effectiveThresholds(configured, true, true)).isEqualTo(configured);
	}

	@Test
	void collectorDefaultBelowAnExplicitWarningIsNotApplied() {
		MemoryThresholds configured = new MemoryThresholds(0.82, 0.85, 0.05, 0.85, 0.95);
		assertThat(GarbageCollector.PARALLEL.effectiveThresholds(configured, true, false)).isEqualTo(configured);
	}

	@Test
	void collectorsWithTheContractsHeadroomKeepTheDefaults() {
		assertThat(GarbageCollector.G1.effectiveThresholds(MemoryThresholds.DEFAULTS, false, false))
			.isEqualTo(MemoryThresholds.DEFAULTS);
		assertThat(GarbageCollector.SERIAL.effectiveThresholds(MemoryThresholds.DEFAULTS, false, false))
			.isEqualTo(MemoryThresholds.DEFAULTS);
	}

}
