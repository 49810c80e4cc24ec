package dev.memoryguard.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.RequestedCollections;
import dev.memoryguard.actuate.metrics.MemoryGuardMetrics;

/**
 * Auto-configuration for the {@link MemoryGuardMetrics guard's meters}.
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnBean({ MeterRegistry.class, MemoryGuard.class })
public final class MemoryGuardMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MemoryGuardMetrics memoryGuardMetrics(MemoryGuard guard, ObjectProvider<RequestedCollections> collections) {
		return new MemoryGuardMetrics(guard, collections.getIfAvailable());
	}

}
