package dev.memoryguard.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.actuate.health.MemoryHealthIndicator;

/**
 * Auto-configuration for the {@link MemoryHealthIndicator memory health contributor}.
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(Health.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("memory")
public final class MemoryGuardHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "memoryHealthIndicator")
	@ConditionalOnBean(MemoryGuard.class)
	MemoryHealthIndicator memoryHealthIndicator(MemoryGuard guard) {
		return new MemoryHealthIndicator(guard);
	}

}
