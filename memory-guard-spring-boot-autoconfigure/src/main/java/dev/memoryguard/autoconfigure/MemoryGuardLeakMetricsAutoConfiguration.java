package dev.memoryguard.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

import dev.memoryguard.leak.LeakMonitor;
import dev.memoryguard.relief.MemoryRelief;

/**
 * Auto-configuration for the leak and relief meters: {@code memory.guard.leak.suspected},
 * {@code memory.guard.heap.exhaustion}, {@code memory.guard.relief} and
 * {@code memory.guard.relief.freed}.
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
		MemoryGuardLeakAutoConfiguration.class, MemoryGuardReliefAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean(MeterRegistry.class)
public final class MemoryGuardLeakMetricsAutoConfiguration {

	@Bean
	@ConditionalOnBean(LeakMonitor.class)
	@ConditionalOnMissingBean
	LeakMeters memoryGuardLeakMeters(LeakMonitor monitor) {
		return new LeakMeters(monitor);
	}

	@Bean
	@ConditionalOnBean(MemoryRelief.class)
	@ConditionalOnMissingBean
	ReliefMeters memoryGuardReliefMeters(MeterRegistry registry) {
		return new ReliefMeters(registry);
	}

}
