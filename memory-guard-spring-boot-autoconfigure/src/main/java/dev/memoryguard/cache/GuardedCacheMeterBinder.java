package dev.memoryguard.cache;

import java.util.concurrent.ConcurrentMap;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.jspecify.annotations.Nullable;

/**
 * Binds the meters of every guarded cache, those registered later too:
 * {@code memory.guard.cache.weighted.size} for the caches that can be weighed and, for
 * caches bounded in bytes, {@code memory.guard.cache.max.size} (bytes, tag {@code cache})
 * and Micrometer's standard {@code cache.*} meters (tags {@code cache},
 * {@code cache.manager} and {@code name}, as Spring Boot tags them): those of Caffeine
 * and JCache unless Spring Boot's cache metrics already bind the caches of cache
 * managers, and {@code cache.size} for the maps of Spring's simple cache, which Spring
 * Boot does not bind.
 */
public class GuardedCacheMeterBinder implements MeterBinder {

	/**
	 * The {@code cache.manager} tag of caches built through the registry rather than a
	 * cache manager.
	 */
	public static final String PROGRAMMATIC_CACHE_MANAGER = "memoryGuard";

	private static final String CACHE_MANAGER_SUFFIX = "cacheManager";

	private final CaffeineGuardedCacheRegistry registry;

	private final boolean cacheManagersBoundElsewhere;

	/**
	 * Creates a binder.
	 * @param registry the guarded caches
	 * @param cacheManagersBoundElsewhere whether Spring Boot binds the {@code cache.*}
	 * meters of cache managers' caches, so that only programmatic caches are bound here
	 */
	public GuardedCacheMeterBinder(CaffeineGuardedCacheRegistry registry, boolean cacheManagersBoundElsewhere) {
		this.registry = registry;
		this.cacheManagersBoundElsewhere = cacheManagersBoundElsewhere;
	}

	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		this.registry.addRegistrationListener((name, kind, nativeCache, cacheManager) -> {
			if (this.registry.weighs(name)) {
				Gauge.builder("memory.guard.cache.weighted.size", this.registry, (r) -> bytesOrNaN(r.weightedSize(name)))
					.description("Estimated bytes held by a guarded cache")
					.baseUnit(BaseUnits.BYTES)
					.tag("cache", name)
					.register(meterRegistry);
			}
			if (this.registry.maxSize(name) >= 0) {
				Gauge.builder("memory.guard.cache.max.size", this.registry, (r) -> bytesOrNaN(r.maxSize(name)))
					.description("Bound in bytes of a guarded cache in effect now (shrunk under pressure)")
					.baseUnit(BaseUnits.BYTES)
					.tag("cache", name)
					.register(meterRegistry);
			}
			// the tags Spring Boot's cache metrics use, so that every cache.* series has the same keys
			Tags tags = Tags.of("cache.manager", managerTag(cacheManager), "name", name);
			if (kind == CacheKind.MAP && nativeCache instanceof ConcurrentMap<?, ?> map) {
				// Spring Boot has no meters for the simple cache: its size, the one figure it knows
				Gauge.builder("cache.size", map, ConcurrentMap::size)
					.description("The number of entries in this cache.")
					.tags(tags)
					.tag("cache", name)
					.register(meterRegistry);
			}
			else if (cacheManager == null || !this.cacheManagersBoundElsewhere) {
				if (nativeCache instanceof Cache<?, ?> caffeine) {
					CaffeineCacheMetrics.monitor(meterRegistry, caffeine, name, tags);
				}
				else if (kind == CacheKind.JCACHE) {
					JCacheMeters.bind(meterRegistry, nativeCache, tags);
				}
			}
		});
	}

	private static double bytesOrNaN(long bytes) {
		return (bytes < 0) ? Double.NaN : bytes;
	}

	private static String managerTag(@Nullable String beanName) {
		if (beanName == null) {
			return PROGRAMMATIC_CACHE_MANAGER;
		}
		// the way Spring Boot's cache metrics name a manager
		if (beanName.length() > CACHE_MANAGER_SUFFIX.length()
				&& beanName.toLowerCase().endsWith(CACHE_MANAGER_SUFFIX.toLowerCase())) {
			return beanName.substring(0, beanName.length() - CACHE_MANAGER_SUFFIX.length());
		}
		return beanName;
	}

}
