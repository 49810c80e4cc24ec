package dev.memoryguard.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Weigher;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.cache.CacheBounds;
import dev.memoryguard.cache.CaffeineGuardedCacheRegistry;
import dev.memoryguard.cache.GuardedCacheAdopter;
import dev.memoryguard.cache.GuardedCacheManager;
import dev.memoryguard.cache.GuardedCachesPressureListener;
import dev.memoryguard.cache.GuardedCachesReliefAction;
import dev.memoryguard.cache.ObjectSizeEstimator;

/**
 * Auto-configuration for guarded caches: the {@link CaffeineGuardedCacheRegistry}, a
 * {@link GuardedCacheManager} of the caches declared under {@code memory-guard.caches}
 * (unless the application defines its own {@link CacheManager}, or chooses another cache
 * provider with {@code spring.cache.type}), the adoption of the in-heap caches of the
 * application's own cache managers, and what memory pressure does to them.
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

	private static final Logger logger = LoggerFactory.getLogger(MemoryGuardCacheAutoConfiguration.class);

	private static final String CACHES_PREFIX = "memory-guard.caches.";

	private static final String CACHE_TYPE = "spring.cache.type";

	@Bean
	@ConditionalOnMissingBean
	CaffeineGuardedCacheRegistry memoryGuardCacheRegistry(MemoryGuardProperties properties,
			ListableBeanFactory beanFactory) {
		MemoryGuardProperties.Relief relief = properties.getRelief();
		return new CaffeineGuardedCacheRegistry(ObjectSizeEstimator.shared(), (name) -> weigher(beanFactory, name),
				relief.getShrinkCachesTo(), relief.isClearCaches(), relief.getExcludeCaches());
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
	@ConditionalOnBean(MemoryGuard.class)
	GuardedCachesPressureListener memoryGuardCachePressureListener(CaffeineGuardedCacheRegistry registry,
			MemoryGuard guard) {
		return new GuardedCachesPressureListener(registry, guard);
	}

	@Bean
	@ConditionalOnMissingBean(name = "memoryGuardCachesReliefAction")
	GuardedCachesReliefAction memoryGuardCachesReliefAction(CaffeineGuardedCacheRegistry registry) {
		return new GuardedCachesReliefAction(registry);
	}

	@Bean
	@ConditionalOnMissingBean(name = "memoryGuardCacheTypeWarning")
	@Conditional(OnGuardedCachesOverruledCondition.class)
	SmartInitializingSingleton memoryGuardCacheTypeWarning(MemoryGuardProperties properties, Environment environment) {
		String cacheType = environment.getProperty(CACHE_TYPE);
		return () -> logger.warn(
				"memory-guard.caches declares caches {}, but {}={} chooses the application's cache provider: "
						+ "memory-guard does not define the CacheManager and these caches are not created. "
						+ "Remove {} (or set it to caffeine) to use them, or remove memory-guard.caches",
				properties.getCaches().keySet(), CACHE_TYPE, cacheType, CACHE_TYPE);
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

	private static boolean cachesDeclared(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable
					&& iterable.stream().anyMatch((name) -> name.toString().startsWith(CACHES_PREFIX))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Returns {@code spring.cache.type} in lower case, {@code null} when not set.
	 */
	private static @Nullable String cacheType(Environment environment) {
		return Binder.get(environment)
			.bind(CACHE_TYPE, String.class)
			.map((type) -> type.trim().toLowerCase(Locale.ROOT))
			.orElse(null);
	}

	private static boolean otherCacheType(@Nullable String cacheType) {
		return cacheType != null && !cacheType.equals("caffeine");
	}

	/**
	 * Matches when at least one cache is declared under {@code memory-guard.caches} and
	 * {@code spring.cache.type} chooses no cache provider other than Caffeine.
	 */
	static class OnGuardedCachesDeclaredCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			if (!cachesDeclared(context.getEnvironment())) {
				return ConditionOutcome.noMatch("no guarded caches declared under " + CACHES_PREFIX);
			}
			String cacheType = cacheType(context.getEnvironment());
			if (otherCacheType(cacheType)) {
				return ConditionOutcome.noMatch(CACHE_TYPE + " is " + cacheType);
			}
			return ConditionOutcome.match("guarded caches declared under " + CACHES_PREFIX);
		}

	}

	/**
	 * Matches when caches are declared under {@code memory-guard.caches} but
	 * {@code spring.cache.type} chooses another cache provider (or none).
	 */
	static class OnGuardedCachesOverruledCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String cacheType = cacheType(context.getEnvironment());
			if (cachesDeclared(context.getEnvironment()) && otherCacheType(cacheType)) {
				return ConditionOutcome.match("guarded caches declared but " + CACHE_TYPE + " is " + cacheType);
			}
			return ConditionOutcome.noMatch("no guarded caches overruled by " + CACHE_TYPE);
		}

	}

}
