package dev.memoryguard.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.memoryguard.leak.LeakDetector;
import dev.memoryguard.leak.LeakMonitor;
import dev.memoryguard.leak.LeakReport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardLeakAutoConfiguration}.
 */
class MemoryGuardLeakAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemoryGuardLeakAutoConfiguration.class));

	@Test
	void runShouldCreateRunningLeakDetectorWithTheConfiguredWindow() {
		this.contextRunner.withPropertyValues("memory-guard.leak.window=30m").run((context) -> {
			assertThat(context).hasSingleBean(LeakDetector.class);
			LeakDetector detector = context.getBean(LeakDetector.class);
			assertThat(detector.isRunning()).isTrue();
			assertThat(detector.report()).isEqualTo(new LeakReport(false, 0.0, Duration.ofMinutes(30), null));
		});
	}

	@Test
	void runWhenLeakDisabledShouldNotCreateLeakDetector() {
		this.contextRunner.withPropertyValues("memory-guard.leak.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LeakMonitor.class));
	}

	@Test
	void runWhenMemoryGuardDisabledShouldNotCreateLeakDetector() {
		this.contextRunner.withPropertyValues("memory-guard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LeakMonitor.class));
	}

	@Test
	void userDefinedLeakMonitorBacksOff() {
		LeakMonitor mine = () -> new LeakReport(true, 1.0, Duration.ofHours(1), Duration.ofMinutes(5));
		this.contextRunner.withBean(LeakMonitor.class, () -> mine).run((context) -> {
			assertThat(context).doesNotHaveBean(LeakDetector.class);
			assertThat(context).getBean(LeakMonitor.class).isSameAs(mine);
		});
	}

	@Test
	void nonPositiveGrowthThresholdFailsStartup() {
		this.contextRunner.withPropertyValues("memory-guard.leak.growth-threshold=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("memory-guard.leak.growth-threshold"));
	}

}
