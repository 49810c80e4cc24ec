package dev.memoryguard.cache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;

import com.github.benmanes.caffeine.cache.Cache;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cache.CacheManager;
import org.springframework.cache.support.CompositeCacheManager;
import org.springframework.util.ClassUtils;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemorySampleListener;
import dev.memoryguard.MemorySnapshot;

/**
 * Guards the in-heap caches held by the application's own {@link CacheManager} beans:
 * Caffeine caches ({@code CaffeineCacheManager}), the {@code ConcurrentMap}s of Spring's
 * simple cache ({@code ConcurrentMapCacheManager}) and JCache caches of providers that
 * keep them in this heap ({@code JCacheCacheManager} over Caffeine's provider or Ehcache
 * 3). They are reported, emptied on CRITICAL and, when bounded, shrunk at WARNING. Any
 * other cache (Redis, Hazelcast, Infinispan, a JCache provider not known to keep its
 * caches in this heap) is left alone and not reported.
 * <p>
 * The caches that exist once every singleton does are adopted at once. A manager that
 * creates its caches on first use (a {@code CaffeineCacheManager} given no cache names)
 * is looked at again before the registry reports, shrinks, empties or relieves its
 * caches, and on every reading of the guard, so a cache created later is guarded within
 * one sampling interval. The caches of a {@link CompositeCacheManager} are guarded under
 * the name of the manager bean that holds them, when it is a bean of its own.
 */
public class GuardedCacheAdopter
		implements SmartInitializingSingleton, BeanFactoryAware, MemorySampleListener, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(GuardedCacheAdopter.class);

	private static final boolean JCACHE_PRESENT = ClassUtils.isPresent("javax.cache.Cache",
			GuardedCacheAdopter.class.getClassLoader());

	private final CaffeineGuardedCacheRegistry registry;

	private final @Nullable MemoryGuard guard;

	private final Set<String> adopted = ConcurrentHashMap.newKeySet();

	private final Set<String> told = ConcurrentHashMap.newKeySet();

	private volatile Map<String, CacheManager> managers = Map.of();

	private ListableBeanFactory beanFactory;

	/**
	 * Creates an adopter that registers caches with {@code registry} and is not told of
	 * the guard's readings.
	 * @param registry the registry
	 */
	public GuardedCacheAdopter(CaffeineGuardedCacheRegistry registry) {
		this(registry, null);
	}

	/**
	 * Creates an adopter that registers caches with {@code registry} and also looks for
	 * new caches on every reading of {@code guard}.
	 * @param registry the registry
	 * @param guard the guard, or {@code null}
	 */
	public GuardedCacheAdopter(CaffeineGuardedCacheRegistry registry, @Nullable MemoryGuard guard) {
		this.registry = registry;
		this.guard = guard;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (ListableBeanFactory) beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Map<String, CacheManager> managers = new LinkedHashMap<>();
		// composites last: a cache they share with a manager bean is guarded under that bean's name
		this.beanFactory.getBeansOfType(CacheManager.class, false, false)
			.entrySet()
			.stream()
			.filter((entry) -> !(entry.getValue() instanceof GuardedCacheManager))
			.sorted(Comparator.comparing((entry) -> entry.getValue() instanceof CompositeCacheManager))
			.forEach((entry) -> managers.put(entry.getKey(), entry.getValue()));
		this.managers = Collections.unmodifiableMap(managers);
		adoptNewCaches();
		if (!this.managers.isEmpty()) {
			this.registry.addDiscovery(this::adoptNewCaches);
			if (this.guard != null) {
				this.guard.addSampleListener(this);
			}
		}
	}

	@Override
	public void onSample(MemorySnapshot snapshot) {
		adoptNewCaches();
	}

	/**
	 * Adopts the in-heap caches that the application's cache managers hold and that are
	 * not guarded yet.
	 */
	public void adoptNewCaches() {
		this.managers.forEach((beanName, manager) -> {
			List<String> unbounded = new ArrayList<>();
			List<String> leftAlone = new ArrayList<>();
			for (String name : manager.getCacheNames()) {
				String key = beanName + '/' + name;
				if (this.adopted.contains(key)) {
					continue;
				}
				org.springframework.cache.Cache cache = manager.getCache(name);
				if (cache == null) {
					continue;
				}
				// looked at once, guarded or not
				this.adopted.add(key);
				GuardedCache guarded = guard(name, cache, beanName);
				if (guarded == null) {
					leftAlone.add(name + " (" + describe(cache) + ")");
				}
				else if (this.registry.adopt(guarded)) {
					logger.debug("Guarding {} cache '{}' of cache manager '{}'", guarded.kind().value(), name, beanName);
					if (guarded.kind() == CacheKind.MAP) {
						unbounded.add(name);
					}
				}
				else if (!isGuardedAlready(guarded)) {
					logger.info("Cache '{}' of cache manager '{}' is not guarded: a cache of that name is guarded already",
							name, beanName);
				}
			}
			tell(beanName, unbounded, leftAlone);
		});
	}

	private @Nullable GuardedCache guard(String name, org.springframework.cache.Cache cache, String beanName) {
		Object nativeCache = cache.getNativeCache();
		if (nativeCache instanceof Cache<?, ?> caffeine) {
			return new CaffeineGuardedCache(name, caffeine, null, beanName, false, this.registry.estimator());
		}
		if (nativeCache instanceof ConcurrentHashMap<?, ?> || nativeCache instanceof ConcurrentSkipListMap<?, ?>) {
			// JDK maps only: a remote map (a Hazelcast IMap, a Redisson RMap) is a ConcurrentMap too
			return new MapGuardedCache(name, (ConcurrentMap<?, ?>) nativeCache, beanName,
					this.registry.estimator());
		}
		if (JCACHE_PRESENT && JCacheGuards.isJCache(nativeCache)) {
			try {
				return JCacheGuards.guard(name, nativeCache, beanName, this.registry.estimator());
			}
			catch (RuntimeException ex) {
				logger.debug("Cannot tell where JCache cache '{}' lives", name, ex);
			}
		}
		return null;
	}

	private boolean isGuardedAlready(GuardedCache candidate) {
		GuardedCache existing = this.registry.guarded(candidate.name());
		return existing != null && existing.nativeCache() == candidate.nativeCache();
	}

	private static String describe(org.springframework.cache.Cache cache) {
		Object nativeCache = cache.getNativeCache();
		if (JCACHE_PRESENT && JCacheGuards.isJCache(nativeCache)) {
			try {
				return "JCache of " + JCacheGuards.provider(nativeCache);
			}
			catch (RuntimeException ex) {
				return "JCache";
			}
		}
		return cache.getClass().getSimpleName();
	}

	private void tell(String beanName, List<String> unbounded, List<String> leftAlone) {
		if (!unbounded.isEmpty() && this.told.add(beanName + "/unbounded")) {
			logger.info("Cache manager '{}' holds unbounded caches {} (Spring's simple ConcurrentMap cache): "
					+ "memory-guard empties them on entering CRITICAL. Bound them by declaring them under "
					+ "memory-guard.caches.<name> (max-entries, max-size), or use Caffeine", beanName, unbounded);
		}
		if (!leftAlone.isEmpty() && this.told.add(beanName + "/left-alone")) {
			logger.info("memory-guard leaves caches {} of cache manager '{}' alone: they are not caches it knows "
					+ "to live in this heap", leftAlone, beanName);
		}
	}

	@Override
	public void destroy() {
		if (this.guard != null) {
			this.guard.removeSampleListener(this);
		}
	}

}
