package dev.memoryguard.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.RequestedCollections;
import dev.memoryguard.actuate.endpoint.MemoryEndpoint;
import dev.memoryguard.actuate.endpoint.MemoryEndpointWebExtension;
import dev.memoryguard.actuate.history.MemoryHistory;
import dev.memoryguard.cache.GuardedCacheRegistry;
import dev.memoryguard.leak.LeakMonitor;
import dev.memoryguard.relief.MemoryRelief;
import dev.memoryguard.web.HttpShedding;

/**
 * Auto-configuration for the {@link MemoryEndpoint memory endpoint}.
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(MemoryEndpoint.class)
@ImportRuntimeHints(MemoryEndpointRuntimeHints.class)
public final class MemoryGuardEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(MemoryGuard.class)
	MemoryEndpoint memoryEndpoint(MemoryGuard guard, ObjectProvider<GuardedCacheRegistry> caches,
			ObjectProvider<LeakMonitor> leakMonitor, ObjectProvider<MemoryRelief> relief,
			MemoryGuardProperties properties, ObjectProvider<MemoryHistory> history,
			ObjectProvider<RequestedCollections> collections, ObjectProvider<HttpShedding> http) {
		return new MemoryEndpoint(guard, caches, leakMonitor, relief, properties.getLeak().getWindow(), history,
				collections.getIfAvailable(() -> new RequestedCollections(JvmMemoryProbe.DEFAULT_GC_BUDGET)), http);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(MemoryEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	MemoryEndpointWebExtension memoryEndpointWebExtension(MemoryEndpoint memoryEndpoint) {
		return new MemoryEndpointWebExtension(memoryEndpoint);
	}

}
