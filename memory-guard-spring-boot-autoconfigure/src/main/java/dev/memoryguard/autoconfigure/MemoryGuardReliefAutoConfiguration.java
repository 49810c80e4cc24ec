package dev.memoryguard.autoconfigure;

import java.time.Clock;
import java.util.stream.Collectors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryReliefAction;
import dev.memoryguard.RequestedCollections;
import dev.memoryguard.relief.DefaultMemoryRelief;
import dev.memoryguard.relief.MemoryRelief;

/**
 * Auto-configuration for relief: every {@link MemoryReliefAction} bean, in order, while
 * memory is CRITICAL (at most once per {@code memory-guard.relief.min-interval}) and on
 * demand.
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnBean(MemoryGuard.class)
public final class MemoryGuardReliefAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(MemoryRelief.class)
	DefaultMemoryRelief memoryGuardRelief(MemoryGuard guard, ObjectProvider<MemoryReliefAction> actions,
			MemoryGuardProperties properties, RequestedCollections collections, ApplicationEventPublisher publisher) {
		DefaultMemoryRelief relief = new DefaultMemoryRelief(guard,
				() -> actions.orderedStream().collect(Collectors.toList()), properties.getRelief().isGc(), collections,
				publisher, Clock.systemUTC());
		relief.setMinInterval(properties.getRelief().getMinInterval());
		guard.addListener(relief);
		guard.addSampleListener(relief);
		return relief;
	}

}
