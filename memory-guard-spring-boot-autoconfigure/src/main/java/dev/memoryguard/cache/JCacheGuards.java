package dev.memoryguard.cache;

import java.util.Set;

import javax.cache.Cache;

import org.jspecify.annotations.Nullable;

/**
 * Guards JCache caches that live in this heap, and only those: a cache of Caffeine's
 * provider as the Caffeine cache it wraps, one of Ehcache 3 without a clustered tier, of
 * cache2k or of the reference implementation through the JCache API. The caches of any
 * other provider (Hazelcast, Infinispan, Redisson, Ignite, Coherence, ...) may live on
 * other machines and be shared with other instances: they are left alone. Loaded only when
 * the JCache API is on the class path.
 */
final class JCacheGuards {

	static final String CAFFEINE = "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";

	static final String EHCACHE = "org.ehcache.jsr107.EhcacheCachingProvider";

	private static final Set<String> IN_HEAP = Set.of("org.cache2k.jcache.provider.JCacheProvider",
			"org.jsr107.ri.spi.RICachingProvider");

	private JCacheGuards() {
	}

	/**
	 * Returns whether {@code nativeCache} is a JCache cache.
	 * @param nativeCache the native cache of a Spring cache
	 * @return whether it is a {@code javax.cache.Cache}
	 */
	static boolean isJCache(Object nativeCache) {
		return nativeCache instanceof Cache<?, ?>;
	}

	/**
	 * Returns the name of the provider of a JCache cache.
	 * @param nativeCache a {@code javax.cache.Cache}
	 * @return the class name of its caching provider
	 */
	static String provider(Object nativeCache) {
		return ((Cache<?, ?>) nativeCache).getCacheManager().getCachingProvider().getClass().getName();
	}

	/**
	 * Returns a guard for a JCache cache that lives in this heap.
	 * @param name the cache name
	 * @param nativeCache a {@code javax.cache.Cache}
	 * @param cacheManager the name of the cache manager bean that holds it
	 * @param estimator what weighs the entries of a Caffeine cache
	 * @return the guarded cache, or {@code null} when it may live elsewhere
	 */
	static @Nullable GuardedCache guard(String name, Object nativeCache, @Nullable String cacheManager,
			ObjectSizeEstimator estimator) {
		Cache<?, ?> cache = (Cache<?, ?>) nativeCache;
		String provider = provider(cache);
		if (CAFFEINE.equals(provider)) {
			return new CaffeineJCacheGuardedCache(name, cache,
					cache.unwrap(com.github.benmanes.caffeine.cache.Cache.class), cacheManager, estimator);
		}
		if ((EHCACHE.equals(provider) && EhcacheLocality.isLocal(cache)) || IN_HEAP.contains(provider)) {
			return new JCacheGuardedCache(name, cache, cacheManager);
		}
		return null;
	}

}
