package dev.memoryguard.actuate.health;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryProbe;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemoryGuardHealthContributorAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryHealthIndicator} and its auto-configuration.
 */
class MemoryHealthIndicatorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MemoryGuardAutoConfiguration.class,
				MemoryGuardHealthContributorAutoConfiguration.class))
		.withBean(MemoryProbe.class, ManualMemoryProbe::new);

	@Test
	void healthFollowsTheLevel() {
		ManualMemoryProbe probe = new ManualMemoryProbe();
		MemoryGuard guard = new MemoryGuard(probe, MemoryThresholds.DEFAULTS, Duration.ofSeconds(1));
		guard.start();
		try {
			MemoryHealthIndicator indicator = new MemoryHealthIndicator(guard);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			assertThat(indicator.health().getDetails()).containsEntry("level", MemoryPressure.NORMAL);
			probe.setLiveRatio(0.75);
			Health warning = indicator.health();
			assertThat(warning.getStatus()).isEqualTo(Status.UP);
			assertThat(warning.getDetails()).containsEntry("level", MemoryPressure.WARNING)
				.containsEntry("liveRatio", 0.75)
				.containsEntry("thresholds", Map.of("warning", 0.70, "critical", 0.85));
			probe.setLiveRatio(0.90);
			Health critical = indicator.health();
			assertThat(critical.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(critical.getDetails()).containsEntry("level", MemoryPressure.CRITICAL);
		}
		finally {
			guard.stop();
		}
	}

	@Test
	void runShouldCreateIndicator() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(MemoryHealthIndicator.class)
			.hasBean("memoryHealthIndicator"));
	}

	@Test
	void runWhenDisabledShouldNotCreateIndicator() {
		this.contextRunner.withPropertyValues("management.health.memory.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryHealthIndicator.class));
	}

	@Test
	void runWhenGuardDisabledShouldNotCreateIndicator() {
		this.contextRunner.withPropertyValues("memory-guard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryHealthIndicator.class));
	}

}
