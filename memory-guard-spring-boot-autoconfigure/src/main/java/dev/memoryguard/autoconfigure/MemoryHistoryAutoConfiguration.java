package dev.memoryguard.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.actuate.history.MemoryHistory;

/**
 * Auto-configuration for the {@link MemoryHistory} behind the {@code history} section of
 * the memory endpoint and the dashboard's charts.
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(MemoryGuard.class)
public final class MemoryHistoryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MemoryHistory memoryHistory(MemoryGuard guard) {
		return new MemoryHistory(guard.samplingInterval()).attachTo(guard);
	}

}
