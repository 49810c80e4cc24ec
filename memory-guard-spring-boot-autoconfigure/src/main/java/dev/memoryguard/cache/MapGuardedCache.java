package dev.memoryguard.cache;

import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;

/**
 * A guarded {@link ConcurrentMap} of Spring's simple cache: unbounded, weighed from a
 * sample of its entries and emptied on entering CRITICAL. It records no statistics, so
 * its hit ratio is unknown; it never evicts.
 */
final class MapGuardedCache extends GuardedCache {

	/**
	 * Estimated bytes a {@code ConcurrentHashMap} spends per entry: its node and its share
	 * of the hash table.
	 */
	static final int ENTRY_OVERHEAD = 40;

	private final ConcurrentMap<?, ?> map;

	private final ObjectSizeEstimator estimator;

	MapGuardedCache(String name, ConcurrentMap<?, ?> map, @Nullable String cacheManager,
			ObjectSizeEstimator estimator) {
		super(name, CacheKind.MAP, map, cacheManager);
		this.map = map;
		this.estimator = estimator;
	}

	@Override
	long weightedSize() {
		return sample().bytes(this.estimator, ENTRY_OVERHEAD);
	}

	private Sample sample() {
		return sample(this.map.entrySet().iterator(), this.map.size());
	}

	@Override
	CacheReport report() {
		long weightedSize = weightedSize();
		return new CacheReport(cacheManager(), kind(), (long) this.map.size(), weightedSize, null, null, null, 0L);
	}

	@Override
	long clear() {
		Sample before = sample();
		this.map.clear();
		return before.bytes(this.estimator, ENTRY_OVERHEAD);
	}

}
