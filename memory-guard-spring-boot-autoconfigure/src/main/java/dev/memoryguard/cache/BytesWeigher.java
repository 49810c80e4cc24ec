package dev.memoryguard.cache;

import com.github.benmanes.caffeine.cache.Weigher;

/**
 * Weighs a cache entry in estimated bytes: its key, its value and the cache's own
 * per-entry overhead.
 */
final class BytesWeigher implements Weigher<Object, Object> {

	/**
	 * Estimated bytes the cache itself spends per entry: Caffeine's node and the slot of
	 * its hash table.
	 */
	static final int ENTRY_OVERHEAD = 80;

	private final ObjectSizeEstimator estimator;

	BytesWeigher(ObjectSizeEstimator estimator) {
		this.estimator = estimator;
	}

	@Override
	public int weigh(Object key, Object value) {
		return (int) Math.min(Integer.MAX_VALUE, weigh(this.estimator, key, value));
	}

	static long weigh(ObjectSizeEstimator estimator, Object key, Object value) {
		return ENTRY_OVERHEAD + estimator.estimate(key) + estimator.estimate(value);
	}

}
