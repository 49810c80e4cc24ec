package dev.memoryguard.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.memoryguard.MemoryPressure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CaffeineGuardedCacheRegistry}.
 */
class CaffeineGuardedCacheRegistryTests {

	private final ObjectSizeEstimator estimator = new ObjectSizeEstimator();

	private final CaffeineGuardedCacheRegistry registry = new CaffeineGuardedCacheRegistry(this.estimator,
			(name) -> null, 0.5, true);

	@Test
	void entryBoundHoldsUnderConcurrentPuts() throws Exception {
		Cache<Integer, String> cache = this.registry.cache("entries", CacheBounds.ofEntries(500));
		putConcurrently(cache, 4, 5_000, (i) -> "value-" + i);
		cache.cleanUp();
		assertThat(cache.estimatedSize()).isLessThanOrEqualTo(500).isGreaterThan(250);
		assertThat(this.registry.reports().get("entries").evictions()).isGreaterThanOrEqualTo(20_000 - 500);
	}

	@Test
	void byteBoundHoldsUnderConcurrentPuts() throws Exception {
		long bound = DataSize.ofKilobytes(256).toBytes();
		Cache<Integer, Object> cache = this.registry.cache("bytes", CacheBounds.ofSize(DataSize.ofBytes(bound)));
		putConcurrently(cache, 4, 2_000, EstimatorCorpus::order);
		cache.cleanUp();
		long held = 0;
		for (Map.Entry<Integer, Object> entry : cache.asMap().entrySet()) {
			held += this.estimator.estimate(entry.getKey()) + this.estimator.estimate(entry.getValue());
		}
		assertThat(held).isLessThanOrEqualTo(bound).isGreaterThan(bound / 2);
		CacheReport report = this.registry.reports().get("bytes");
		assertThat(report.weightedSize()).isLessThanOrEqualTo(bound).isGreaterThanOrEqualTo(held);
		assertThat(report.maxSize()).isEqualTo(bound);
		assertThat(report.maxEntries()).isNull();
	}

	@Test
	void bothBoundsHoldTogether() throws Exception {
		Cache<Integer, Object> small = this.registry.cache("both",
				CacheBounds.ofEntries(100).withMaxSize(DataSize.ofMegabytes(1)));
		putConcurrently(small, 3, 1_000, (i) -> "tiny" + i);
		small.cleanUp();
		assertThat(small.estimatedSize()).isLessThanOrEqualTo(100);
		Cache<Integer, Object> large = this.registry.cache("both-large",
				CacheBounds.ofEntries(10_000).withMaxSize(DataSize.ofKilobytes(64)));
		putConcurrently(large, 3, 1_000, (i) -> new byte[1024]);
		large.cleanUp();
		assertThat(large.estimatedSize()).isLessThan(64);
		assertThat(this.registry.reports().get("both-large").weightedSize())
			.isLessThanOrEqualTo(DataSize.ofKilobytes(64).toBytes());
	}

	@Test
	void weightedSizeIsEstimatedForCachesBoundedByEntriesOnly() {
		Cache<String, Object> cache = this.registry.cache("dictionary", CacheBounds.ofEntries(1000));
		long expected = 0;
		for (int i = 0; i < 200; i++) {
			EstimatorCorpus.Customer customer = EstimatorCorpus.customer(i);
			cache.put(customer.email(), customer);
			expected += BytesWeigher.ENTRY_OVERHEAD + this.estimator.estimate(customer.email())
					+ this.estimator.estimate(customer);
		}
		CacheReport report = this.registry.reports().get("dictionary");
		assertThat(report.size()).isEqualTo(200);
		assertThat(report.weightedSize()).isEqualTo(expected);
		assertThat(report.maxEntries()).isEqualTo(1000);
		assertThat(report.maxSize()).isNull();
	}

	@Test
	void hitRatioAndEvictionsAreReported() {
		Cache<String, String> cache = this.registry.cache("stats", CacheBounds.ofEntries(10));
		assertThat(this.registry.reports().get("stats").hitRatio()).as("nothing requested yet").isNull();
		cache.put("a", "1");
		cache.getIfPresent("a");
		cache.getIfPresent("a");
		cache.getIfPresent("a");
		cache.getIfPresent("missing");
		assertThat(this.registry.reports().get("stats").hitRatio()).isEqualTo(0.75);
	}

	@Test
	void warningShrinksCriticalEmptiesAndNormalRestores() {
		Cache<Integer, String> entries = this.registry.cache("entries", CacheBounds.ofEntries(1000));
		Cache<Integer, Object> bytes = this.registry.cache("bytes", CacheBounds.ofSize(DataSize.ofKilobytes(512)));
		for (int i = 0; i < 1000; i++) {
			entries.put(i, "value-" + i);
			bytes.put(i, new byte[1000]);
		}
		entries.cleanUp();
		bytes.cleanUp();
		long bytesBefore = this.registry.weightedSize("bytes");
		long entriesBefore = this.registry.weightedSize("entries");
		assertThat(entries.estimatedSize()).isEqualTo(1000);

		long freedAtWarning = this.registry.onPressure(MemoryPressure.WARNING);
		assertThat(entries.estimatedSize()).isEqualTo(500);
		assertThat(this.registry.reports().get("entries").maxEntries()).isEqualTo(500);
		assertThat(this.registry.weightedSize("bytes")).isLessThanOrEqualTo(DataSize.ofKilobytes(256).toBytes());
		assertThat(this.registry.maxSize("bytes")).isEqualTo(DataSize.ofKilobytes(256).toBytes());
		long bytesShrunk = this.registry.weightedSize("bytes");
		long entriesShrunk = this.registry.weightedSize("entries");
		assertThat(freedAtWarning).isEqualTo(bytesBefore - bytesShrunk + entriesBefore - entriesShrunk)
			.isGreaterThan(DataSize.ofKilobytes(200).toBytes());

		long freedAtCritical = this.registry.onPressure(MemoryPressure.CRITICAL);
		assertThat(freedAtCritical).isEqualTo(bytesShrunk + entriesShrunk);
		assertThat(entries.estimatedSize()).isZero();
		assertThat(bytes.estimatedSize()).isZero();

		this.registry.onPressure(MemoryPressure.WARNING);
		for (int i = 0; i < 1000; i++) {
			entries.put(i, "value-" + i);
		}
		entries.cleanUp();
		assertThat(entries.estimatedSize()).as("still shrunk after CRITICAL").isEqualTo(500);

		assertThat(this.registry.onPressure(MemoryPressure.NORMAL)).isZero();
		for (int i = 0; i < 1000; i++) {
			entries.put(i, "value-" + i);
		}
		entries.cleanUp();
		assertThat(entries.estimatedSize()).isEqualTo(1000);
		assertThat(this.registry.reports().get("entries").maxEntries()).isEqualTo(1000);
		assertThat(this.registry.maxSize("bytes")).isEqualTo(DataSize.ofKilobytes(512).toBytes());
	}

	@Test
	void criticalKeepsEntriesWhenClearingIsOff() {
		CaffeineGuardedCacheRegistry keeping = new CaffeineGuardedCacheRegistry(this.estimator, (name) -> null, 0.25,
				false);
		Cache<Integer, String> cache = keeping.cache("keep", CacheBounds.ofEntries(100));
		for (int i = 0; i < 100; i++) {
			cache.put(i, "v" + i);
		}
		keeping.onPressure(MemoryPressure.CRITICAL);
		assertThat(cache.estimatedSize()).isEqualTo(25);
	}

	@Test
	void cacheRegisteredUnderPressureStartsShrunk() {
		this.registry.onPressure(MemoryPressure.WARNING);
		Cache<Integer, String> cache = this.registry.cache("late", CacheBounds.ofEntries(100));
		for (int i = 0; i < 100; i++) {
			cache.put(i, "v" + i);
		}
		cache.cleanUp();
		assertThat(cache.estimatedSize()).isEqualTo(50);
		this.registry.onPressure(MemoryPressure.NORMAL);
		assertThat(this.registry.reports().get("late").maxEntries()).isEqualTo(100);
	}

	@Test
	void clearEmptiesOneCacheAndReportsBytesFreed() {
		ConcurrentMap<String, byte[]> map = this.registry.map("blobs", CacheBounds.ofEntries(100));
		map.put("a", new byte[10_000]);
		map.put("b", new byte[10_000]);
		long weighted = this.registry.weightedSize("blobs");
		assertThat(weighted).isGreaterThan(20_000);
		assertThat(this.registry.clear("blobs")).hasValue(weighted);
		assertThat(map).isEmpty();
		assertThat(this.registry.clear("unknown")).isEmpty();
	}

	@Test
	void mapByNameIsTheSameMapWithTheSameBounds() {
		CacheBounds bounds = CacheBounds.ofEntries(100).withExpireAfterWrite(Duration.ofMinutes(5));
		ConcurrentMap<String, String> first = this.registry.map("dictionary", bounds);
		first.put("k", "v");
		ConcurrentMap<String, String> second = this.registry.map("dictionary",
				CacheBounds.ofEntries(100).withExpireAfterWrite(Duration.ofMinutes(5)));
		assertThat(second).containsEntry("k", "v");
		assertThatIllegalStateException().isThrownBy(() -> this.registry.map("dictionary", CacheBounds.ofEntries(5)))
			.withMessageContaining("dictionary");
	}

	@Test
	void reliefEmptiesEveryCache() {
		Cache<Integer, String> cache = this.registry.cache("relieved", CacheBounds.ofEntries(100));
		cache.put(1, "one");
		GuardedCachesReliefAction action = new GuardedCachesReliefAction(this.registry);
		assertThat(action.name()).isEqualTo("caches");
		assertThat(action.relieve(MemoryPressure.NORMAL)).isPositive();
		assertThat(cache.estimatedSize()).isZero();
	}

	@Test
	void adoptedCachesAreShrunkAndReportedWithoutKeysOrValues() {
		Cache<Object, Object> foreign = Caffeine.newBuilder().maximumSize(200).recordStats().build();
		assertThat(this.registry.adopt("foreign", foreign, "myCacheManager")).isTrue();
		assertThat(this.registry.adopt("foreign", foreign, "myCacheManager")).isFalse();
		for (int i = 0; i < 200; i++) {
			foreign.put(i, "v" + i);
		}
		assertThat(this.registry.reports()).containsOnlyKeys("foreign");
		assertThat(this.registry.reports().get("foreign").maxEntries()).isEqualTo(200);
		this.registry.onPressure(MemoryPressure.WARNING);
		assertThat(foreign.estimatedSize()).isEqualTo(100);
		this.registry.onPressure(MemoryPressure.NORMAL);
		assertThat(foreign.policy().eviction().get().getMaximum()).isEqualTo(200);
	}

	@Test
	void hitRatioAndEvictionsAreUnknownWithoutStatistics() {
		Cache<Object, Object> quiet = Caffeine.newBuilder().maximumSize(10).build();
		this.registry.adopt("quiet", quiet, "cacheManager");
		quiet.put("a", "1");
		quiet.getIfPresent("a");
		quiet.getIfPresent("missing");
		CacheReport report = this.registry.reports().get("quiet");
		assertThat(report.hitRatio()).isNull();
		assertThat(report.evictions()).isNull();
		assertThat(report.size()).isOne();
		assertThat(report.manager()).isEqualTo("cacheManager");
		assertThat(report.kind()).isEqualTo(CacheKind.CAFFEINE);
	}

	@Test
	void mapIsWeighedFromASampleOfItsEntriesAndEmptiedOnCritical() {
		ConcurrentMap<Object, Object> map = new ConcurrentHashMap<>();
		assertThat(this.registry.adopt(new MapGuardedCache("customers", map, "cacheManager", this.estimator)))
			.isTrue();
		long expected = 0;
		for (int i = 0; i < 200; i++) {
			EstimatorCorpus.Customer customer = EstimatorCorpus.customer(i);
			map.put(customer.email(), customer);
			expected += MapGuardedCache.ENTRY_OVERHEAD + this.estimator.estimate(customer.email())
					+ this.estimator.estimate(customer);
		}
		CacheReport report = this.registry.reports().get("customers");
		assertThat(report.kind()).isEqualTo(CacheKind.MAP);
		assertThat(report.size()).isEqualTo(200);
		assertThat(report.weightedSize()).isEqualTo(expected);
		assertThat(report.maxEntries()).isNull();
		assertThat(report.hitRatio()).isNull();
		assertThat(this.registry.onPressure(MemoryPressure.WARNING)).as("nothing to shrink").isZero();
		assertThat(map).hasSize(200);
		assertThat(this.registry.onPressure(MemoryPressure.CRITICAL)).isEqualTo(expected);
		assertThat(map).isEmpty();
	}

	@Test
	void excludedCachesAreReportedButNeitherShrunkNorEmptiedByPressureOrRelief() {
		CaffeineGuardedCacheRegistry registry = new CaffeineGuardedCacheRegistry(this.estimator, (name) -> null, 0.5,
				true, List.of("tokens", "session-*"));
		Cache<Integer, String> tokens = registry.cache("tokens", CacheBounds.ofEntries(100));
		Cache<Integer, String> sessions = registry.cache("session-eu", CacheBounds.ofEntries(100));
		Cache<Integer, String> products = registry.cache("products", CacheBounds.ofEntries(100));
		for (Cache<Integer, String> cache : List.of(tokens, sessions, products)) {
			for (int i = 0; i < 100; i++) {
				cache.put(i, "v" + i);
			}
		}
		registry.onPressure(MemoryPressure.WARNING);
		assertThat(registry.reports().get("products").maxEntries()).isEqualTo(50);
		assertThat(registry.reports().get("tokens").maxEntries()).isEqualTo(100);
		registry.onPressure(MemoryPressure.CRITICAL);
		new GuardedCachesReliefAction(registry).relieve(MemoryPressure.CRITICAL);
		assertThat(products.estimatedSize()).isZero();
		assertThat(tokens.estimatedSize()).isEqualTo(100);
		assertThat(sessions.estimatedSize()).isEqualTo(100);
		assertThat(registry.reports()).containsOnlyKeys("products", "session-eu", "tokens");
		assertThat(registry.isExcluded("session-us")).isTrue();
		assertThat(registry.isExcluded("sessions")).isFalse();
		assertThat(registry.clear("tokens")).as("asked for by name").isPresent();
		assertThat(tokens.estimatedSize()).isZero();
	}

	@Test
	void reportsAreSortedByName() {
		this.registry.cache("zeta", CacheBounds.ofEntries(1));
		this.registry.cache("alpha", CacheBounds.ofEntries(1));
		this.registry.cache("mid", CacheBounds.ofEntries(1));
		assertThat(this.registry.reports().keySet()).containsExactly("alpha", "mid", "zeta");
	}

	private static <V> void putConcurrently(Cache<Integer, V> cache, int threads, int perThread,
			java.util.function.IntFunction<V> values) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int base = t * perThread;
				futures.add(executor.submit(() -> {
					for (int i = base; i < base + perThread; i++) {
						cache.put(i, values.apply(i));
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

}
