package dev.memoryguard.autoconfigure;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.web.Admission;
import dev.memoryguard.web.GuardedPaths;
import dev.memoryguard.web.HttpShedding;
import dev.memoryguard.web.MemoryPressureProblems;
import dev.memoryguard.web.reactive.AdmissionWebFilter;
import dev.memoryguard.web.reactive.MemoryPressureWebExceptionHandler;

/**
 * Auto-configuration for shedding load in reactive web applications (WebFlux): a
 * {@link MemoryPressureWebExceptionHandler} always, the {@link AdmissionWebFilter} when
 * {@code memory-guard.web.shed.enabled} is set.
 */
@AutoConfiguration(after = MemoryGuardWebAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass(ServerResponse.class)
@ConditionalOnBean(HttpShedding.class)
public final class MemoryGuardReactiveWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MemoryPressureWebExceptionHandler memoryPressureWebExceptionHandler(MemoryPressureProblems problems,
			HttpShedding shedding, ObjectProvider<ServerCodecConfigurer> codecs) {
		return new MemoryPressureWebExceptionHandler(problems, shedding,
				codecs.getIfAvailable(ServerCodecConfigurer::create).getWriters());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("memory-guard.web.shed.enabled")
	Admission memoryGuardAdmission(MemoryGuard guard, MemoryGuardProperties properties,
			MemoryPressureProblems problems, HttpShedding shedding, ListableBeanFactory beans,
			Environment environment) {
		MemoryGuardProperties.Web.Shed shed = properties.getWeb().getShed();
		GuardedPaths paths = new GuardedPaths(shed.getInclude(), shed.getExclude(),
				() -> NeverGuardedPaths.of(beans, environment, "", properties));
		return new Admission(guard, shed.getThreshold(), shed.getBodyFactor(), paths, problems, shedding);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(Admission.class)
	AdmissionWebFilter memoryGuardAdmissionWebFilter(Admission admission) {
		return new AdmissionWebFilter(admission);
	}

}
