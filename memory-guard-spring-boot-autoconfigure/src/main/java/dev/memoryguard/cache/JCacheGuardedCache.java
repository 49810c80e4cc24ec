package dev.memoryguard.cache;

import javax.cache.Cache;

import org.jspecify.annotations.Nullable;

/**
 * A guarded JCache cache of a provider other than Caffeine's, kept in this heap (Ehcache
 * 3, ...): emptied on entering CRITICAL through the JCache API. The API tells neither its
 * size nor its bound, so both are unknown, as are the bytes it holds; hit ratio and
 * evictions come from its statistics while they are enabled.
 */
final class JCacheGuardedCache extends GuardedCache {

	private final Cache<?, ?> cache;

	private final JCacheStatistics statistics;

	JCacheGuardedCache(String name, Cache<?, ?> cache, @Nullable String cacheManager) {
		super(name, CacheKind.JCACHE, cache, cacheManager);
		this.cache = cache;
		this.statistics = new JCacheStatistics(cache);
	}

	@Override
	boolean weighs() {
		return false;
	}

	@Override
	long weightedSize() {
		return -1;
	}

	@Override
	CacheReport report() {
		return new CacheReport(cacheManager(), kind(), null, null, null, null, this.statistics.hitRatio(),
				this.statistics.evictions());
	}

	@Override
	long clear() {
		// clear(), not removeAll(): no listener or writer is told, as for an eviction
		this.cache.clear();
		return 0;
	}

}
