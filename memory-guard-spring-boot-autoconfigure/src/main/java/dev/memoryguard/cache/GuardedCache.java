package dev.memoryguard.cache;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
	 * Takes up to {@link #SAMPLE} of {@code entries} to estimate the bytes of
	 * {@code size} entries from: taken before a cache is emptied and weighed after, so
	 * that weighing never delays the emptying.
	 */
	static Sample sample(Iterator<? extends Map.Entry<?, ?>> entries, long size) {
		List<Map.Entry<?, ?>> sampled = new ArrayList<>((int) Math.min(SAMPLE, Math.max(size, 0)));
		while (size > 0 && sampled.size() < SAMPLE && entries.hasNext()) {
			sampled.add(entries.next());
		}
		return new Sample(size, sampled);
	}

	/**
	 * Entries taken from a cache of {@code size} entries.
	 *
	 * @param size the number of entries of the cache
	 * @param entries up to {@link #SAMPLE} of them
	 */
	record Sample(long size, List<Map.Entry<?, ?>> entries) {

		/**
		 * Returns the estimated bytes of the whole cache: the mean of the sampled entries,
		 * {@code entryOverhead} included, times its size.
		 */
		long bytes(ObjectSizeEstimator estimator, long entryOverhead) {
			if (this.entries.isEmpty()) {
				return 0;
			}
			long bytes = 0;
			for (Map.Entry<?, ?> entry : this.entries) {
				bytes += entryOverhead + estimator.estimate(entry.getKey()) + estimator.estimate(entry.getValue());
			}
			return Math.round((double) bytes / this.entries.size() * this.size);
		}

	}

}
