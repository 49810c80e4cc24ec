package dev.memoryguard;

import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LiveHeapEstimator}, with the pool layouts HotSpot's collectors report.
 */
class LiveHeapEstimatorTests {

	private static final long MB = 1024 * 1024;

	private static final long MAX = 256 * MB;

	private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

	private final LiveHeapEstimator g1 = new LiveHeapEstimator(
			Set.of("G1 Eden Space", "G1 Survivor Space", "G1 Old Gen"), Set.of("G1 Old Gen"), this.now::get);

	@Test
	void noCollectionYetTrustsTheHeapInUse() {
		assertThat(this.g1.estimate(40 * MB, MAX, 0.85)).isEqualTo(40 * MB);
	}

	@Test
	void collectionsBeforeTheProbeListenedSeedTheEstimate() {
		this.g1.seed(70 * MB, 62 * MB);
		assertThat(this.g1.estimate(200 * MB, MAX, 0.85)).isEqualTo(70 * MB);
		// what the old generation gained since counts as it does after any collection
		assertThat(this.g1.allocatedInOldSinceCollection(80 * MB)).isEqualTo(18 * MB);
	}

	@Test
	void aSeedArrivingAfterACollectionIsIgnored() {
		this.g1.record(pools(100, 6, 60), pools(0, 8, 62));
		this.g1.seed(30 * MB, 20 * MB);
		assertThat(this.g1.estimate(200 * MB, MAX, 0.85)).isEqualTo(70 * MB);
	}

	@Test
	void youngCollectionCountsOldGenAndSurvivors() {
		this.g1.record(pools(100, 6, 60), pools(0, 8, 62));
		assertThat(this.g1.estimate(200 * MB, MAX, 0.85)).isEqualTo(70 * MB);
	}

	@Test
	void garbageInTheHeapDoesNotRaiseTheEstimate() {
		// eden full of garbage: used is high, but the last collection left 70MB
		this.g1.record(pools(100, 6, 60), pools(0, 8, 62));
		advance(300);
		assertThat(this.g1.estimate(230 * MB, MAX, 0.85)).isEqualTo(70 * MB);
	}

	@Test
	void untouchedYoungPoolsOfAConcurrentPauseAreLeftOut() {
		// JDK 25 "G1 Concurrent GC": eden reported at its current occupancy before and after
		this.g1.record(pools(90, 4, 50), pools(90, 4, 50));
		assertThat(this.g1.estimate(200 * MB, MAX, 0.85)).isEqualTo(50 * MB);
	}

	@Test
	void edenOverflowAfterAFullCollectionIsCounted() {
		LiveHeapEstimator serial = new LiveHeapEstimator(Set.of("Eden Space", "Survivor Space", "Tenured Gen"),
				Set.of("Tenured Gen"), this.now::get);
		Map<String, MemoryUsage> before = new LinkedHashMap<>();
		before.put("Eden Space", usage(70));
		before.put("Survivor Space", usage(8));
		before.put("Tenured Gen", usage(178));
		Map<String, MemoryUsage> after = new LinkedHashMap<>();
		after.put("Eden Space", usage(40));
		after.put("Survivor Space", usage(0));
		after.put("Tenured Gen", usage(178));
		serial.record(before, after);
		assertThat(serial.estimate(230 * MB, MAX, 0.85)).isEqualTo(218 * MB);
	}

	@Test
	void pauseNotificationsWithNothingCommittedAreIgnored() {
		LiveHeapEstimator zgc = new LiveHeapEstimator(Set.of("ZHeap"), Set.of("ZHeap"), this.now::get);
		assertThat(zgc.record(Map.of("ZHeap", new MemoryUsage(0, 0, 0, 0)), Map.of("ZHeap", new MemoryUsage(0, 0, 0, 0))))
			.isFalse();
		assertThat(zgc.record(Map.of("ZHeap", usage(120)), Map.of("ZHeap", usage(80)))).isTrue();
		assertThat(zgc.estimate(150 * MB, MAX, 0.85)).isEqualTo(80 * MB);
	}

	@Test
	void nonHeapPoolsInTheAfterGcMapAreIgnored() {
		Map<String, MemoryUsage> after = pools(0, 8, 62);
		after.put("Metaspace", usage(90));
		after.put("CodeHeap 'non-nmethods'", usage(5));
		this.g1.record(pools(100, 6, 60), after);
		assertThat(this.g1.estimate(200 * MB, MAX, 0.85)).isEqualTo(70 * MB);
	}

	@Test
	void oneInflatedReadingWithinTheWindowDoesNotRaiseTheEstimate() {
		this.g1.record(pools(100, 6, 60), pools(0, 6, 64));
		advance(500);
		// a collection that counted floating garbage
		this.g1.record(pools(100, 6, 150), pools(0, 6, 150));
		assertThat(this.g1.estimate(200 * MB, MAX, 0.85)).isEqualTo(64 * MB);
	}

	@Test
	void growthIsSeenOnceTheLowerReadingIsHalfASecondOld() {
		this.g1.record(pools(100, 6, 60), pools(0, 6, 64));
		advance(300);
		this.g1.record(pools(100, 6, 80), pools(0, 6, 90));
		assertThat(this.g1.estimate(230 * MB, MAX, 0.85)).isEqualTo(64 * MB);
		advance(300);
		this.g1.record(pools(100, 6, 110), pools(0, 6, 120));
		assertThat(this.g1.estimate(230 * MB, MAX, 0.85)).isEqualTo(90 * MB);
		advance(600);
		this.g1.record(pools(100, 6, 140), pools(0, 6, 150));
		assertThat(this.g1.estimate(230 * MB, MAX, 0.85)).isEqualTo(150 * MB);
	}

	@Test
	void fullOldGenerationCountsEveryHeapPool() {
		// Serial with the old generation at its cap: a collection that could not promote
		// leaves eden's live data where it was
		LiveHeapEstimator serial = new LiveHeapEstimator(Set.of("Eden Space", "Survivor Space", "Tenured Gen"),
				Set.of("Tenured Gen"), this.now::get);
		Map<String, MemoryUsage> before = new LinkedHashMap<>();
		before.put("Eden Space", new MemoryUsage(0, 40 * MB, 68 * MB, 68 * MB));
		before.put("Survivor Space", new MemoryUsage(0, 0, 8 * MB, 8 * MB));
		before.put("Tenured Gen", new MemoryUsage(0, 168 * MB, 170 * MB, 170 * MB));
		Map<String, MemoryUsage> after = new LinkedHashMap<>(before);
		serial.record(before, after);
		assertThat(serial.estimate(230 * MB, MAX, 0.85)).isEqualTo(208 * MB);
	}

	@Test
	void everyReadingOfTheLastHalfSecondCounts() {
		// a concurrent collector reporting many cycles, a few of them inflated
		long[] readings = { 150, 120, 160, 155, 158 };
		for (long reading : readings) {
			this.g1.record(pools(100, 6, reading), pools(0, 6, reading));
			advance(50);
		}
		assertThat(this.g1.estimate(230 * MB, MAX, 0.85)).isEqualTo(120 * MB);
	}

	@Test
	void confirmedReadingSupersedesEarlierOnes() {
		this.g1.record(pools(100, 6, 60), pools(0, 6, 180));
		this.g1.record(pools(100, 6, 60), pools(0, 6, 190));
		advance(100);
		this.g1.confirmed(70 * MB, 60 * MB);
		assertThat(this.g1.estimate(230 * MB, MAX, 0.85)).isEqualTo(70 * MB);
	}

	@Test
	void oldGenerationGrowthSinceTheNewestCollectionIsDirectAllocation() {
		assertThat(this.g1.allocatedInOldSinceCollection(90 * MB)).isZero();
		this.g1.record(pools(100, 6, 60), pools(0, 6, 64));
		// humongous arrays allocated in old regions since
		assertThat(this.g1.allocatedInOldSinceCollection(96 * MB)).isEqualTo(32 * MB);
		assertThat(this.g1.allocatedInOldSinceCollection(50 * MB)).isZero();
	}

	@Test
	void collectionsThatFreedTheOldGenerationAreTracked() {
		assertThat(this.g1.nanosSinceOldCollection()).isEqualTo(Long.MAX_VALUE);
		// young collection: the old generation only grew
		this.g1.record(pools(100, 6, 60), pools(0, 6, 64));
		assertThat(this.g1.nanosSinceOldCollection()).isEqualTo(Long.MAX_VALUE);
		// mixed or full collection: the old generation shrank
		this.g1.record(pools(100, 6, 64), pools(0, 6, 40));
		advance(700);
		assertThat(this.g1.nanosSinceOldCollection()).isEqualTo(700_000_000L);
	}

	@Test
	void heapInUseCapsTheEstimateOnceMemoryIsReleased() {
		this.g1.record(pools(100, 6, 200), pools(0, 6, 200));
		// the application dropped its references and a collection freed them
		assertThat(this.g1.estimate(30 * MB, MAX, 0.85)).isEqualTo(30 * MB);
	}

	@Test
	void heapFilledWithoutAnyCollectionReachesTheEstimateOnceStale() {
		// humongous arrays retained: no GC reports while used climbs past critical
		this.g1.record(pools(100, 6, 60), pools(0, 6, 60));
		advance(200);
		assertThat(this.g1.estimate(230 * MB, MAX, 0.85)).isEqualTo(60 * MB);
		assertThat(this.g1.trustsUsed(230 * MB, MAX, 0.85)).isFalse();
		advance(1000);
		assertThat(this.g1.trustsUsed(230 * MB, MAX, 0.85)).isTrue();
		assertThat(this.g1.estimate(230 * MB, MAX, 0.85)).isEqualTo(230 * MB);
	}

	@Test
	void staleHeapInUseBelowTheTrustLevelIsNotTaken() {
		this.g1.record(pools(100, 6, 60), pools(0, 6, 60));
		advance(5000);
		assertThat(this.g1.estimate(150 * MB, MAX, 0.85)).isEqualTo(60 * MB);
	}

	@Test
	void longLivedPoolNamesOfEveryHotSpotCollectorAreRecognised() {
		assertThat(Set.of("Tenured Gen", "PS Old Gen", "G1 Old Gen", "ZHeap", "ZGC Old Generation", "Shenandoah",
				"Shenandoah Old Gen"))
			.allMatch(LiveHeapEstimator::isLongLivedPool);
		assertThat(Set.of("Eden Space", "PS Eden Space", "G1 Survivor Space", "ZGC Young Generation",
				"Shenandoah Young Gen"))
			.noneMatch(LiveHeapEstimator::isLongLivedPool);
	}

	private void advance(long millis) {
		this.now.addAndGet(millis * 1_000_000);
	}

	private static Map<String, MemoryUsage> pools(long edenMb, long survivorMb, long oldMb) {
		Map<String, MemoryUsage> pools = new LinkedHashMap<>();
		pools.put("G1 Eden Space", usage(edenMb));
		pools.put("G1 Survivor Space", usage(survivorMb));
		pools.put("G1 Old Gen", usage(oldMb));
		return pools;
	}

	private static MemoryUsage usage(long mb) {
		return new MemoryUsage(0, mb * MB, 256 * MB, -1);
	}

}
