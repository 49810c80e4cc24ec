package dev.memoryguard.cache;

import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cache.CacheManager;

/**
 * Guards the Caffeine caches held by the application's own {@link CacheManager} beans
 * (a {@code CaffeineCacheManager} with a spec, for instance) once every singleton exists:
 * they are reported, emptied on CRITICAL and, when bounded, shrunk at WARNING. Caches a
 * manager creates later, on first use, are not seen.
 */
public class GuardedCacheAdopter implements SmartInitializingSingleton, BeanFactoryAware {

	private static final Logger logger = LoggerFactory.getLogger(GuardedCacheAdopter.class);

	private final CaffeineGuardedCacheRegistry registry;

	private ListableBeanFactory beanFactory;

	/**
	 * Creates an adopter that registers caches with {@code registry}.
	 * @param registry the registry
	 */
	public GuardedCacheAdopter(CaffeineGuardedCacheRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (ListableBeanFactory) beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Map<String, CacheManager> managers = this.beanFactory.getBeansOfType(CacheManager.class, false, false);
		managers.forEach((beanName, manager) -> {
			if (manager instanceof GuardedCacheManager) {
				return;
			}
			for (String name : manager.getCacheNames()) {
				org.springframework.cache.Cache cache = manager.getCache(name);
				if (cache != null && cache.getNativeCache() instanceof Cache<?, ?> caffeine
						&& this.registry.adopt(name, caffeine, beanName)) {
					logger.debug("Guarding Caffeine cache '{}' of cache manager '{}'", name, beanName);
				}
			}
		});
	}

}
