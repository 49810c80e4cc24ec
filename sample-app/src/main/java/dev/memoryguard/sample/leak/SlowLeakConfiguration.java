package dev.memoryguard.sample.leak;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Turns the demo {@link SlowLeak} on with {@code sample.leak.enabled=true}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("sample.leak.enabled")
class SlowLeakConfiguration {

	@Bean
	SlowLeak slowLeak(Environment environment) {
		return new SlowLeak(environment.getProperty("sample.leak.bytes-per-second", Long.class, 256L * 1024));
	}

}
