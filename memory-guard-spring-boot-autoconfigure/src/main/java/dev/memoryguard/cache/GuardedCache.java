package dev.memoryguard.cache;

import java.util.Iterator;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One cache under guard, of any {@link CacheKind}: what it reports and what memory
 * pressure does to it. Bounds that a kind does not have are left alone: shrinking an
 * unbounded cache frees nothing.
 */
abstract class GuardedCache {

	/**
	 * Entries weighed to estimate the bytes of a cache whose weights are not bytes.
	 */
	static final int SAMPLE = 1024;

	private final String name;

	private final CacheKind kind;

	private final Object nativeCache;

	private final @Nullable String cacheManager;

	GuardedCache(String name, CacheKind kind, Object nativeCache, @Nullable String cacheManager) {
		this.name = name;
		this.kind = kind;
		this.nativeCache = nativeCache;
		this.cacheManager = cacheManager;
	}

	String name() {
		return this.name;
	}

	CacheKind kind() {
		return this.kind;
	}

	/**
	 * Returns the cache as the application holds it: the Caffeine {@code Cache}, the
	 * {@code ConcurrentMap} or the {@code javax.cache.Cache}.
	 */
	Object nativeCache() {
		return this.nativeCache;
	}

	@Nullable String cacheManager() {
		return this.cacheManager;
	}

	/**
	 * Returns the bounds it was built with, {@code null} for a cache built elsewhere.
	 */
	@Nullable CacheBounds bounds() {
		return null;
	}

	/**
	 * Returns whether the bytes it holds can be estimated.
	 */
	boolean weighs() {
		return true;
	}

	/**
	 * Returns the estimated bytes held by its keys and values, {@code -1} when they
	 * cannot be estimated.
	 */
	abstract long weightedSize();

	/**
	 * Returns the bound in bytes in effect now (shrunk under pressure), {@code null} for
	 * none.
	 */
	@Nullable Long maxSize() {
		return null;
	}

	abstract CacheReport report();

	/**
	 * Sets its bound to {@code fraction} of the original one, evicting what exceeds it.
	 * @return the estimated bytes freed
	 */
	long shrink(double fraction) {
		return 0;
	}

	/**
	 * Puts the original bound back.
	 */
	void restore() {
	}

	/**
	 * Empties the cache.
	 * @return the estimated bytes freed
	 */
	abstract long clear();

	/**
	 * Estimates the bytes of {@code size} entries from the first {@link #SAMPLE} of
	 * {@code entries}.
	 */
	static long sampled(ObjectSizeEstimator estimator, Iterator<? extends Map.Entry<?, ?>> entries, long size,
			long entryOverhead) {
		if (size <= 0) {
			return 0;
		}
		long sampled = 0;
		long bytes = 0;
		while (sampled < SAMPLE && entries.hasNext()) {
			Map.Entry<?, ?> entry = entries.next();
			bytes += entryOverhead + estimator.estimate(entry.getKey()) + estimator.estimate(entry.getValue());
			sampled++;
		}
		return (sampled == 0) ? 0 : Math.round((double) bytes / sampled * size);
	}

}
