package dev.memoryguard.actuate.endpoint;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryProbe;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemoryGuardEndpointAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardEndpointAutoConfiguration}.
 */
class MemoryGuardEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemoryGuardEndpointAutoConfiguration.class))
		.withBean(MemoryProbe.class, ManualMemoryProbe::new);

	@Test
	void runWhenExposedShouldCreateEndpointAndWebExtension() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=memory")
			.run((context) -> assertThat(context).hasSingleBean(MemoryEndpoint.class)
				.hasSingleBean(MemoryEndpointWebExtension.class));
	}

	@Test
	void runWhenNotExposedShouldNotCreateEndpoint() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(MemoryEndpoint.class));
	}

	@Test
	void runWhenAccessIsNoneShouldNotCreateEndpoint() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=memory",
					"management.endpoint.memory.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryEndpoint.class));
	}

	@Test
	void runWhenGuardDisabledShouldNotCreateEndpoint() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=memory", "memory-guard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryEndpoint.class));
	}

}
