package dev.memoryguard.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.actuate.history.MemoryHistory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MemoryHistoryAutoConfiguration}.
 */
class MemoryHistoryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemoryHistoryAutoConfiguration.class));

	@Test
	void runShouldCreateHistoryFedByTheGuardsSampler() {
		this.contextRunner.withPropertyValues("memory-guard.sampling.interval=50ms").run((context) -> {
			assertThat(context).hasSingleBean(MemoryHistory.class);
			MemoryHistory history = context.getBean(MemoryHistory.class);
			assertThat(history.capacity()).isEqualTo(18_000);
			await().atMost(Duration.ofSeconds(10)).until(() -> history.points().size() >= 2);
		});
	}

	@Test
	void capacityFollowsTheSamplingInterval() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(MemoryHistory.class).capacity()).isEqualTo(900));
	}

	@Test
	void runWithoutActuatorShouldNotCreateHistory() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class)).run((context) -> {
			assertThat(context).hasSingleBean(MemoryGuard.class);
			assertThat(context).doesNotHaveBean(MemoryHistory.class);
		});
	}

	@Test
	void runWhenDisabledShouldNotCreateHistory() {
		this.contextRunner.withPropertyValues("memory-guard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryHistory.class));
	}

	@Test
	void userDefinedHistoryBacksOff() {
		MemoryHistory own = new MemoryHistory(10);
		this.contextRunner.withBean(MemoryHistory.class, () -> own)
			.run((context) -> assertThat(context.getBean(MemoryHistory.class)).isSameAs(own));
	}

}
