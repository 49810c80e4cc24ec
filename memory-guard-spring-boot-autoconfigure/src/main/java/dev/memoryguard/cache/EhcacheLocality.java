package dev.memoryguard.cache;

import javax.cache.Cache;

import org.ehcache.config.ResourceType;

/**
 * Tells an Ehcache 3 cache kept in this process (heap, off-heap and disk tiers) from one
 * with a clustered tier, whose entries live on a Terracotta server and are shared with
 * every client. Loaded only when Ehcache is the cache's provider.
 */
final class EhcacheLocality {

	private EhcacheLocality() {
	}

	static boolean isLocal(Cache<?, ?> cache) {
		org.ehcache.Cache<?, ?> ehcache = cache.unwrap(org.ehcache.Cache.class);
		return ehcache.getRuntimeConfiguration()
			.getResourcePools()
			.getResourceTypeSet()
			.stream()
			.allMatch(ResourceType.Core.class::isInstance);
	}

}
