package dev.memoryguard.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.actuate.health.MemoryReadinessStateUpdater;

/**
 * Auto-configuration that moves readiness to REFUSING_TRAFFIC while memory is CRITICAL,
 * when {@code memory-guard.readiness.enabled} is set.
 */
@AutoConfiguration(after = { MemoryGuardAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("memory-guard.readiness.enabled")
public final class MemoryGuardReadinessAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ MemoryGuard.class, ApplicationAvailability.class })
	MemoryReadinessStateUpdater memoryReadinessStateUpdater(MemoryGuard guard, ApplicationAvailability availability,
			ApplicationEventPublisher publisher) {
		MemoryReadinessStateUpdater updater = new MemoryReadinessStateUpdater(guard, availability, publisher);
		guard.addListener(updater);
		return updater;
	}

}
