package dev.memoryguard.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Weigher;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureChangedEvent;
import dev.memoryguard.cache.CacheBounds;
import dev.memoryguard.cache.CaffeineGuardedCacheRegistry;
import dev.memoryguard.cache.GuardedCacheAdopter;
import dev.memoryguard.cache.GuardedCacheManager;
import dev.memoryguard.cache.GuardedCachesReliefAction;
import dev.memoryguard.cache.ObjectSizeEstimator;

/**
 * Auto-configuration for guarded caches: the {@link CaffeineGuardedCacheRegistry}, a
 * {@link GuardedCacheManager} of the caches declared under {@code memory-guard.caches}
 * (unless the application defines its own {@link CacheManager}, whose Caffeine caches are
 * then guarded as they are), and what memory pressure does to them.
 * <p>
 * A {@link Weigher} bean named {@code <cacheName>Weigher} weighs the entries of that
 * cache instead of the {@link ObjectSizeEstimator}.
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class,
		beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnClass(Caffeine.class)
public final class MemoryGuardCacheAutoConfiguration {

	/**
	 * Suffix of the name of a {@link Weigher} bean that weighs one cache.
	 */
	public static final String WEIGHER_SUFFIX = "Weigher";

	@Bean
	@ConditionalOnMissingBean
	CaffeineGuardedCacheRegistry memoryGuardCacheRegistry(MemoryGuardProperties properties,
			ListableBeanFactory beanFactory) {
		MemoryGuardProperties.Relief relief = properties.getRelief();
		return new CaffeineGuardedCacheRegistry(ObjectSizeEstimator.shared(), (name) -> weigher(beanFactory, name),
				relief.getShrinkCachesTo(), relief.isClearCaches());
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Weigher<Object, Object> weigher(ListableBeanFactory beanFactory, String cacheName) {
		String beanName = cacheName + WEIGHER_SUFFIX;
		if (beanFactory.containsBean(beanName) && beanFactory.isTypeMatch(beanName, Weigher.class)) {
			return beanFactory.getBean(beanName, Weigher.class);
		}
		return null;
	}

	@Bean
	@ConditionalOnMissingBean(name = "memoryGuardCachePressureListener")
	ApplicationListener<MemoryPressureChangedEvent> memoryGuardCachePressureListener(
			CaffeineGuardedCacheRegistry registry) {
		return (event) -> registry.onPressure(event.current());
	}

	@Bean
	@ConditionalOnMissingBean(name = "memoryGuardCacheInitialPressure")
	SmartInitializingSingleton memoryGuardCacheInitialPressure(CaffeineGuardedCacheRegistry registry,
			ObjectProvider<MemoryGuard> guard) {
		// a guard already under pressure at startup sends no change event
		return () -> guard.ifAvailable((available) -> {
			if (available.pressure() != MemoryPressure.NORMAL) {
				registry.onPressure(available.pressure());
			}
		});
	}

	@Bean
	@ConditionalOnMissingBean(name = "memoryGuardCachesReliefAction")
	GuardedCachesReliefAction memoryGuardCachesReliefAction(CaffeineGuardedCacheRegistry registry) {
		return new GuardedCachesReliefAction(registry);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CaffeineCache.class)
	static class CacheManagerConfiguration {

		@Bean
		@ConditionalOnMissingBean(CacheManager.class)
		@Conditional(OnGuardedCachesDeclaredCondition.class)
		GuardedCacheManager cacheManager(CaffeineGuardedCacheRegistry registry, MemoryGuardProperties properties) {
			Map<String, CacheBounds> bounds = new LinkedHashMap<>();
			properties.getCaches().forEach((name, spec) -> bounds.put(name, bounds(spec)));
			return new GuardedCacheManager(registry, bounds, "cacheManager", true);
		}

		@Bean
		@ConditionalOnMissingBean
		GuardedCacheAdopter memoryGuardCacheAdopter(CaffeineGuardedCacheRegistry registry,
				ObjectProvider<MemoryGuard> guard) {
			return new GuardedCacheAdopter(registry, guard.getIfAvailable());
		}

		private static CacheBounds bounds(MemoryGuardProperties.CacheSpec spec) {
			return new CacheBounds(spec.getMaxEntries(), spec.getMaxSize(), spec.getExpireAfterWrite(),
					spec.getExpireAfterAccess());
		}

	}

	/**
	 * Matches when at least one cache is declared under {@code memory-guard.caches}.
	 */
	static class OnGuardedCachesDeclaredCondition extends SpringBootCondition {

		private static final String PREFIX = "memory-guard.caches.";

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
				if (source instanceof IterableConfigurationPropertySource iterable && iterable.stream()
					.anyMatch((name) -> name.toString().startsWith(PREFIX))) {
					return ConditionOutcome.match("guarded caches declared under " + PREFIX);
				}
			}
			return ConditionOutcome.noMatch("no guarded caches declared under " + PREFIX);
		}

	}

}
