package dev.memoryguard.cache;

import java.util.Optional;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import org.jspecify.annotations.Nullable;

/**
 * A guarded Caffeine cache: its bounds, its estimated weight and what pressure does to
 * it. Hit ratio and evictions come from Caffeine's statistics, and are unknown
 * ({@code null}) unless the cache records them.
 */
class CaffeineGuardedCache extends GuardedCache {

	private final Cache<?, ?> cache;

	private final @Nullable CacheBounds bounds;

	private final boolean weightsAreBytes;

	private final long maximum;

	private final ObjectSizeEstimator estimator;

	private volatile double factor = 1.0;

	CaffeineGuardedCache(String name, Cache<?, ?> cache, @Nullable CacheBounds bounds, @Nullable String cacheManager,
			boolean weightsAreBytes, ObjectSizeEstimator estimator) {
		this(name, CacheKind.CAFFEINE, cache, cache, bounds, cacheManager, weightsAreBytes, estimator);
	}

	CaffeineGuardedCache(String name, CacheKind kind, Object nativeCache, Cache<?, ?> cache,
			@Nullable CacheBounds bounds, @Nullable String cacheManager, boolean weightsAreBytes,
			ObjectSizeEstimator estimator) {
		super(name, kind, nativeCache, cacheManager);
		this.cache = cache;
		this.bounds = bounds;
		this.weightsAreBytes = weightsAreBytes;
		this.estimator = estimator;
		this.maximum = eviction().map(Policy.Eviction::getMaximum).orElse(-1L);
	}

	Cache<?, ?> cache() {
		return this.cache;
	}

	@Override
	@Nullable CacheBounds bounds() {
		return this.bounds;
	}

	/**
	 * Returns the estimated bytes held by the keys and values: Caffeine's weighted size
	 * when the weigher counts bytes, otherwise an estimate from a sample of the entries.
	 */
	@Override
	long weightedSize() {
		return measure().getAsLong();
	}

	/**
	 * Returns what tells the bytes held now: Caffeine's weighted size when the weigher
	 * counts bytes, otherwise a sample of the entries, weighed when asked.
	 */
	private LongSupplier measure() {
		// apply pending writes: Caffeine updates its weighted size asynchronously
		this.cache.cleanUp();
		Optional<Policy.Eviction<?, ?>> eviction = eviction();
		if (this.weightsAreBytes && eviction.isPresent() && eviction.get().weightedSize().isPresent()) {
			long weightedSize = eviction.get().weightedSize().getAsLong();
			return () -> weightedSize;
		}
		Sample sample = sample(this.cache.asMap().entrySet().iterator(), this.cache.estimatedSize());
		return () -> sample.bytes(this.estimator, BytesWeigher.ENTRY_OVERHEAD);
	}

	@Override
	CacheReport report() {
		long weightedSize = weightedSize();
		return new CacheReport(cacheManager(), kind(), this.cache.estimatedSize(), weightedSize, maxEntries(),
				maxSize(), hitRatio(), evictions());
	}

	/**
	 * Returns hits over requests since start, {@code null} when no statistics are
	 * recorded or nothing was requested yet.
	 */
	@Nullable Double hitRatio() {
		if (!this.cache.policy().isRecordingStats()) {
			return null;
		}
		CacheStats stats = this.cache.stats();
		return (stats.requestCount() == 0) ? null : stats.hitRate();
	}

	/**
	 * Returns the entries evicted since start, {@code null} when no statistics are
	 * recorded.
	 */
	@Nullable Long evictions() {
		return this.cache.policy().isRecordingStats() ? this.cache.stats().evictionCount() : null;
	}

	/**
	 * Returns the bound in entries in effect now (shrunk under pressure).
	 */
	@Nullable Long maxEntries() {
		if (this.bounds != null) {
			return (this.bounds.maxEntries() != null) ? scaled(this.bounds.maxEntries()) : null;
		}
		Optional<Policy.Eviction<?, ?>> eviction = eviction();
		return (eviction.isPresent() && !eviction.get().isWeighted()) ? eviction.get().getMaximum() : null;
	}

	/**
	 * Returns the bound in bytes in effect now (shrunk under pressure).
	 */
	@Override
	@Nullable Long maxSize() {
		if (this.bounds != null && this.bounds.maxSize() != null) {
			return scaled(this.bounds.maxSize().toBytes());
		}
		if (this.bounds == null && this.weightsAreBytes) {
			return eviction().map(Policy.Eviction::getMaximum).orElse(null);
		}
		return null;
	}

	private long scaled(long bound) {
		return Math.max(1, Math.round(bound * this.factor));
	}

	/**
	 * Sets the bound to {@code fraction} of the original one, evicting what exceeds it.
	 * @return the estimated bytes freed
	 */
	@Override
	long shrink(double fraction) {
		Optional<Policy.Eviction<?, ?>> eviction = eviction();
		if (eviction.isEmpty() || this.maximum <= 0) {
			return 0;
		}
		long before = weightedSize();
		this.factor = fraction;
		eviction.get().setMaximum(Math.max(1, Math.round(this.maximum * fraction)));
		this.cache.cleanUp();
		return Math.max(0, before - weightedSize());
	}

	/**
	 * Puts the original bound back.
	 */
	@Override
	void restore() {
		this.factor = 1.0;
		eviction().ifPresent((eviction) -> eviction.setMaximum(this.maximum));
	}

	/**
	 * Empties the cache.
	 * @return the estimated bytes freed
	 */
	@Override
	long clear() {
		LongSupplier before = measure();
		invalidateAll();
		this.cache.cleanUp();
		return before.getAsLong();
	}

	/**
	 * Removes every entry.
	 */
	void invalidateAll() {
		this.cache.invalidateAll();
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private Optional<Policy.Eviction<?, ?>> eviction() {
		return (Optional) this.cache.policy().eviction();
	}

}
