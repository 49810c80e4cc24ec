package dev.memoryguard.sample.leak;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemoryGuardReliefAutoConfiguration;
import dev.memoryguard.relief.MemoryRelief;
import dev.memoryguard.relief.ReliefReport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SlowLeakConfiguration}.
 */
class SlowLeakConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemoryGuardReliefAutoConfiguration.class))
		.withUserConfiguration(SlowLeakConfiguration.class);

	@Test
	void leakIsOffByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SlowLeak.class));
	}

	@Test
	void enabledLeakGrowsUntilReliefLetsGo() {
		this.contextRunner
			.withPropertyValues("sample.leak.enabled=true", "sample.leak.bytes-per-second=1048576")
			.run((context) -> {
				SlowLeak leak = context.getBean(SlowLeak.class);
				leak.leak();
				leak.leak();
				assertThat(leak.retained()).isEqualTo(2 * 1048576);
				ReliefReport report = context.getBean(MemoryRelief.class).relieve("endpoint");
				assertThat(report.actions()).singleElement()
					.satisfies((action) -> assertThat(action.name()).isEqualTo("sample-leak"))
					.satisfies((action) -> assertThat(action.freed()).isEqualTo(2 * 1048576));
				assertThat(leak.retained()).isZero();
			});
	}

}
