package dev.memoryguard.cache;

import javax.cache.Cache;

import org.jspecify.annotations.Nullable;

/**
 * A guarded cache of Caffeine's JCache provider, guarded as the Caffeine cache it wraps:
 * weighed, shrunk at WARNING when it has a bound and emptied on entering CRITICAL (through
 * the JCache API). Hit ratio and evictions come from its JCache statistics when they are
 * enabled, otherwise from Caffeine's own when those are recorded.
 */
final class CaffeineJCacheGuardedCache extends CaffeineGuardedCache {

	private final Cache<?, ?> jcache;

	private final JCacheStatistics statistics;

	CaffeineJCacheGuardedCache(String name, Cache<?, ?> jcache, com.github.benmanes.caffeine.cache.Cache<?, ?> cache,
			@Nullable String cacheManager, ObjectSizeEstimator estimator) {
		super(name, CacheKind.JCACHE, jcache, cache, null, cacheManager, false, estimator);
		this.jcache = jcache;
		this.statistics = new JCacheStatistics(jcache);
	}

	@Override
	@Nullable Double hitRatio() {
		Long evictions = this.statistics.evictions();
		return (evictions != null) ? this.statistics.hitRatio() : super.hitRatio();
	}

	@Override
	@Nullable Long evictions() {
		Long evictions = this.statistics.evictions();
		return (evictions != null) ? evictions : super.evictions();
	}

	@Override
	void invalidateAll() {
		this.jcache.clear();
	}

}
