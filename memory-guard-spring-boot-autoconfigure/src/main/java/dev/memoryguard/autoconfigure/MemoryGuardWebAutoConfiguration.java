package dev.memoryguard.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.web.HttpShedMetrics;
import dev.memoryguard.web.HttpShedding;
import dev.memoryguard.web.MemoryPressureProblems;

/**
 * Auto-configuration for what servlet and reactive web applications share when they shed
 * load: the {@link HttpShedding refusal counts}, their meter and the
 * {@link MemoryPressureProblems problem} refusals are answered with.
 *
 * @see MemoryGuardServletWebAutoConfiguration
 * @see MemoryGuardReactiveWebAutoConfiguration
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnWebApplication
@ConditionalOnClass(ProblemDetail.class)
@ConditionalOnBean(MemoryGuard.class)
@EnableConfigurationProperties(MemoryGuardProperties.class)
public final class MemoryGuardWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpShedding httpShedding(MemoryGuard guard, MemoryGuardProperties properties) {
		HttpShedding shedding = new HttpShedding(properties.getWeb().getShed().isEnabled(), guard.pressure());
		guard.addListener(shedding);
		return shedding;
	}

	@Bean
	@ConditionalOnMissingBean
	MemoryPressureProblems memoryPressureProblems(MemoryGuardProperties properties) {
		return new MemoryPressureProblems(properties.getWeb().getRetryAfter());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class HttpShedMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpShedMetrics httpShedMetrics(HttpShedding shedding) {
			return new HttpShedMetrics(shedding);
		}

	}

}
