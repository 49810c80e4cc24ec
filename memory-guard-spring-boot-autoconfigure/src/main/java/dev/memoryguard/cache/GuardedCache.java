package dev.memoryguard.cache;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import org.jspecify.annotations.Nullable;

/**
 * One Caffeine cache under guard: its bounds, its estimated weight and what pressure does
 * to it.
 */
final class GuardedCache {

	/**
	 * Entries weighed to estimate the bytes of a cache whose weights are not bytes.
	 */
	static final int SAMPLE = 1024;

	private final String name;

	private final Cache<?, ?> cache;

	private final @Nullable CacheBounds bounds;

	private final @Nullable String cacheManager;

	private final boolean weightsAreBytes;

	private final long maximum;

	private final ObjectSizeEstimator estimator;

	private volatile double factor = 1.0;

	GuardedCache(String name, Cache<?, ?> cache, @Nullable CacheBounds bounds, @Nullable String cacheManager,
			boolean weightsAreBytes, ObjectSizeEstimator estimator) {
		this.name = name;
		this.cache = cache;
		this.bounds = bounds;
		this.cacheManager = cacheManager;
		this.weightsAreBytes = weightsAreBytes;
		this.estimator = estimator;
		this.maximum = eviction().map(Policy.Eviction::getMaximum).orElse(-1L);
	}

	String name() {
		return this.name;
	}

	Cache<?, ?> cache() {
		return this.cache;
	}

	@Nullable CacheBounds bounds() {
		return this.bounds;
	}

	@Nullable String cacheManager() {
		return this.cacheManager;
	}

	/**
	 * Returns the estimated bytes held by the keys and values: Caffeine's weighted size
	 * when the weigher counts bytes, otherwise an estimate from a sample of the entries.
	 */
	long weightedSize() {
		// apply pending writes: Caffeine updates its weighted size asynchronously
		this.cache.cleanUp();
		Optional<Policy.Eviction<?, ?>> eviction = eviction();
		if (this.weightsAreBytes && eviction.isPresent() && eviction.get().weightedSize().isPresent()) {
			return eviction.get().weightedSize().getAsLong();
		}
		long size = this.cache.estimatedSize();
		if (size == 0) {
			return 0;
		}
		long sampled = 0;
		long bytes = 0;
		Iterator<? extends Map.Entry<?, ?>> entries = this.cache.asMap().entrySet().iterator();
		while (sampled < SAMPLE && entries.hasNext()) {
			Map.Entry<?, ?> entry = entries.next();
			bytes += BytesWeigher.weigh(this.estimator, entry.getKey(), entry.getValue());
			sampled++;
		}
		return (sampled == 0) ? 0 : Math.round((double) bytes / sampled * size);
	}

	CacheReport report() {
		long weightedSize = weightedSize();
		CacheStats stats = this.cache.stats();
		long requests = stats.requestCount();
		double hitRatio = (requests == 0) ? 0.0 : (double) stats.hitCount() / requests;
		return new CacheReport(this.cache.estimatedSize(), weightedSize, maxEntries(), maxSize(), hitRatio,
				stats.evictionCount());
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
	void restore() {
		this.factor = 1.0;
		eviction().ifPresent((eviction) -> eviction.setMaximum(this.maximum));
	}

	/**
	 * Empties the cache.
	 * @return the estimated bytes freed
	 */
	long clear() {
		long before = weightedSize();
		this.cache.invalidateAll();
		this.cache.cleanUp();
		return before;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private Optional<Policy.Eviction<?, ?>> eviction() {
		return (Optional) this.cache.policy().eviction();
	}

}
