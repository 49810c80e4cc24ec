package dev.memoryguard.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemorySampleListener;
import dev.memoryguard.MemorySnapshot;

/**
 * Guards the Caffeine caches held by the application's own {@link CacheManager} beans (a
 * {@code CaffeineCacheManager}, for instance): they are reported, emptied on CRITICAL
 * and, when bounded, shrunk at WARNING.
 * <p>
 * The caches that exist once every singleton does are adopted at once. A manager that
 * creates its caches on first use (a {@code CaffeineCacheManager} given no cache names)
 * is looked at again before the registry reports, shrinks, empties or relieves its
 * caches, and on every reading of the guard, so a cache created later is guarded within
 * one sampling interval.
 */
public class GuardedCacheAdopter
		implements SmartInitializingSingleton, BeanFactoryAware, MemorySampleListener, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(GuardedCacheAdopter.class);

	private final CaffeineGuardedCacheRegistry registry;

	private final @Nullable MemoryGuard guard;

	private final Set<String> adopted = ConcurrentHashMap.newKeySet();

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
		Map<String, CacheManager> managers = new LinkedHashMap<>(
				this.beanFactory.getBeansOfType(CacheManager.class, false, false));
		managers.values().removeIf(GuardedCacheManager.class::isInstance);
		this.managers = Map.copyOf(managers);
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
	 * Adopts the Caffeine caches that the application's cache managers hold and that are
	 * not guarded yet.
	 */
	public void adoptNewCaches() {
		this.managers.forEach((beanName, manager) -> {
			for (String name : manager.getCacheNames()) {
				String key = beanName + '/' + name;
				if (this.adopted.contains(key)) {
					continue;
				}
				org.springframework.cache.Cache cache = manager.getCache(name);
				if (cache == null) {
					continue;
				}
				// looked at once, Caffeine or not
				this.adopted.add(key);
				if (cache.getNativeCache() instanceof Cache<?, ?> caffeine
						&& this.registry.adopt(name, caffeine, beanName)) {
					logger.debug("Guarding Caffeine cache '{}' of cache manager '{}'", name, beanName);
				}
			}
		});
	}

	@Override
	public void destroy() {
		if (this.guard != null) {
			this.guard.removeSampleListener(this);
		}
	}

}
