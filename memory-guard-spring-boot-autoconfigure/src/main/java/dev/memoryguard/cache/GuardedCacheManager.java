package dev.memoryguard.cache;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCache;

/**
 * A Spring {@link CacheManager} of guarded Caffeine caches, each with its own bounds
 * (where {@code CaffeineCacheManager} has one spec for all).
 * <p>
 * The manager is static: it holds the caches it was created with and no others, so a
 * {@code @Cacheable} naming an undeclared cache fails (Spring reports "Cannot find cache
 * named ...") instead of silently creating an unbounded one.
 */
public class GuardedCacheManager implements CacheManager {

	private final Map<String, Cache> caches;

	/**
	 * Creates a manager of one guarded cache per entry of {@code bounds}, built and
	 * registered by {@code registry}.
	 * @param registry the registry that builds and guards the caches
	 * @param bounds bounds by cache name
	 * @param beanName the name this manager is known by, for metrics tags
	 * @param allowNullValues whether {@code null} values are cached
	 */
	public GuardedCacheManager(CaffeineGuardedCacheRegistry registry, Map<String, CacheBounds> bounds,
			String beanName, boolean allowNullValues) {
		Map<String, Cache> caches = new LinkedHashMap<>();
		bounds.forEach((name, cacheBounds) -> caches.put(name,
				new CaffeineCache(name, registry.cacheFor(name, cacheBounds, beanName), allowNullValues)));
		this.caches = Collections.unmodifiableMap(caches);
	}

	@Override
	public @Nullable Cache getCache(String name) {
		return this.caches.get(name);
	}

	@Override
	public Collection<String> getCacheNames() {
		return this.caches.keySet();
	}

}
