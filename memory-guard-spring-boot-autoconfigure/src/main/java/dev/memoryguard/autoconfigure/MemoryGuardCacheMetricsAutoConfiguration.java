package dev.memoryguard.autoconfigure;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

import dev.memoryguard.cache.CaffeineGuardedCacheRegistry;
import dev.memoryguard.cache.GuardedCacheMeterBinder;

/**
 * Auto-configuration for the meters of guarded caches.
 */
@AutoConfiguration(after = MemoryGuardCacheAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnClass({ MeterRegistry.class, Caffeine.class })
@ConditionalOnBean(CaffeineGuardedCacheRegistry.class)
public final class MemoryGuardCacheMetricsAutoConfiguration {

	private static final String BOOT_CACHE_METRICS = "org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration";

	@Bean
	@ConditionalOnMissingBean
	GuardedCacheMeterBinder memoryGuardCacheMeterBinder(CaffeineGuardedCacheRegistry registry) {
		boolean bootBindsCacheManagers = ClassUtils.isPresent(BOOT_CACHE_METRICS, getClass().getClassLoader());
		return new GuardedCacheMeterBinder(registry, bootBindsCacheManagers);
	}

}
