package dev.memoryguard.cache;

import java.util.Locale;

/**
 * What kind of cache a guarded cache is, which decides what memory pressure can do to it.
 */
public enum CacheKind {

	/**
	 * A Caffeine cache: weighed, shrunk at WARNING when it has a bound, emptied on entering
	 * CRITICAL.
	 */
	CAFFEINE,

	/**
	 * A {@code ConcurrentMap} of Spring's simple cache ({@code ConcurrentMapCacheManager}):
	 * unbounded, weighed from a sample of its entries, emptied on entering CRITICAL.
	 */
	MAP,

	/**
	 * A JSR-107 cache kept in this heap: one of Caffeine's JCache provider is treated as a
	 * Caffeine cache, one of another provider (Ehcache 3, ...) is emptied on entering
	 * CRITICAL through the JCache API.
	 */
	JCACHE;

	/**
	 * Returns the name shown by the {@code memory} endpoint: {@code caffeine}, {@code map}
	 * or {@code jcache}.
	 * @return the lower-case name
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
