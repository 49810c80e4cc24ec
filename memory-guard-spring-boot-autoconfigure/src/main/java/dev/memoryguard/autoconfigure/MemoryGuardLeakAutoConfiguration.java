package dev.memoryguard.autoconfigure;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.leak.LeakDetector;
import dev.memoryguard.leak.LeakMonitor;

/**
 * Auto-configuration for leak suspicion: a {@link LeakDetector} on the guard's live-heap
 * estimate.
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "memory-guard.leak.enabled", matchIfMissing = true)
@ConditionalOnBean(MemoryGuard.class)
public final class MemoryGuardLeakAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(LeakMonitor.class)
	LeakDetector memoryGuardLeakDetector(MemoryGuard guard, MemoryGuardProperties properties,
			ApplicationEventPublisher publisher) {
		MemoryGuardProperties.Leak leak = properties.getLeak();
		return new LeakDetector(guard, leak.getWindow(), leak.getGrowthThreshold(), publisher, Clock.systemUTC());
	}

}
