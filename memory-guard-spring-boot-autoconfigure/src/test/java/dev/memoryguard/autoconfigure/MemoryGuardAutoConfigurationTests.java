package dev.memoryguard.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import dev.memoryguard.GarbageCollector;
import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureChangedEvent;
import dev.memoryguard.MemoryProbe;
import dev.memoryguard.MemoryThresholds;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardAutoConfiguration}.
 */
class MemoryGuardAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MemoryGuardAutoConfiguration.class));

	@Test
	void runShouldCreateMemoryGuardOnTheJvmProbe() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MemoryGuard.class);
			assertThat(context).hasSingleBean(JvmMemoryProbe.class);
			MemoryGuard guard = context.getBean(MemoryGuard.class);
			assertThat(guard.isRunning()).isTrue();
			assertThat(guard.snapshot().reading().heapCapacity()).isPositive();
			assertThat(guard.thresholds()).isEqualTo(MemoryThresholds.DEFAULTS);
		});
	}

	@Test
	void probeConfirmsWithAFullCollectionByDefault() {
		this.contextRunner.run((context) -> {
			JvmMemoryProbe probe = context.getBean(JvmMemoryProbe.class);
			assertThat(probe.isConfirmWithGc()).isTrue();
			assertThat(probe.collector()).isEqualTo(GarbageCollector.current());
			assertThat(probe.thresholds()).isEqualTo(context.getBean(MemoryGuard.class).thresholds());
		});
	}

	@Test
	void confirmingCollectionsCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("memory-guard.sampling.confirm-with-gc=false")
			.run((context) -> assertThat(context.getBean(JvmMemoryProbe.class).isConfirmWithGc()).isFalse());
	}

	@Test
	void thresholdsTheUserDidNotSetAreLoweredOnACollectorThatNeedsHeadroom() {
		MemoryThresholds effective = MemoryGuardAutoConfiguration.thresholds(new MemoryGuardProperties(),
				new MockEnvironment(), GarbageCollector.PARALLEL);
		assertThat(effective.critical()).isEqualTo(GarbageCollector.PARALLEL.defaultCritical()).isLessThan(0.85);
		assertThat(effective.warning()).isEqualTo(GarbageCollector.PARALLEL.defaultWarning());
	}

	@Test
	void explicitThresholdsAreKeptOnACollectorThatNeedsHeadroom() {
		MemoryGuardProperties properties = new MemoryGuardProperties();
		properties.getThresholds().setCritical(0.9);
		MockEnvironment environment = new MockEnvironment().withProperty("memory-guard.thresholds.critical", "0.9");
		MemoryThresholds effective = MemoryGuardAutoConfiguration.thresholds(properties, environment,
				GarbageCollector.PARALLEL);
		assertThat(effective.critical()).isEqualTo(0.9);
	}

	@Test
	void thresholdSetAsAnEnvironmentVariableCountsAsExplicit() {
		MemoryGuardProperties properties = new MemoryGuardProperties();
		MockEnvironment environment = new MockEnvironment();
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("env", Map.of("MEMORY_GUARD_THRESHOLDS_CRITICAL", "0.85")));
		MemoryThresholds effective = MemoryGuardAutoConfiguration.thresholds(properties, environment,
				GarbageCollector.ZGC);
		assertThat(effective.critical()).isEqualTo(0.85);
	}

	@Test
	void guardUsesTheProbesThresholds() {
		this.contextRunner.withPropertyValues("memory-guard.thresholds.warning=0.6", "memory-guard.thresholds.critical=0.8")
			.run((context) -> {
				MemoryThresholds thresholds = context.getBean(MemoryGuard.class).thresholds();
				assertThat(thresholds.warning()).isEqualTo(0.6);
				assertThat(thresholds.critical()).isEqualTo(0.8);
			});
	}

	@Test
	void runWhenDisabledShouldNotCreateMemoryGuard() {
		this.contextRunner.withPropertyValues("memory-guard.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(MemoryGuard.class);
			assertThat(context).doesNotHaveBean(MemoryProbe.class);
			assertThat(context).doesNotHaveBean(MemoryGuardProperties.class);
		});
	}

	@Test
	void userDefinedMemoryGuardBacksOff() {
		this.contextRunner.withUserConfiguration(UserGuard.class).run((context) -> {
			assertThat(context).hasSingleBean(MemoryGuard.class);
			assertThat(context.getBean(MemoryGuard.class)).isSameAs(context.getBean(UserGuard.class).guard);
		});
	}

	@Test
	void userDefinedProbeDrivesTheGuard() {
		this.contextRunner.withUserConfiguration(ProbeConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(JvmMemoryProbe.class);
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			MemoryGuard guard = context.getBean(MemoryGuard.class);
			probe.setPressure(MemoryPressure.CRITICAL);
			assertThat(guard.pressure()).isEqualTo(MemoryPressure.CRITICAL);
		});
	}

	@Test
	void levelChangesArePublishedAsApplicationEvents() {
		this.contextRunner.withUserConfiguration(ProbeConfiguration.class, EventRecorder.class).run((context) -> {
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.WARNING);
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.NORMAL);
			assertThat(context.getBean(EventRecorder.class).events).extracting(MemoryPressureChangedEvent::current)
				.containsExactly(MemoryPressure.WARNING, MemoryPressure.NORMAL);
		});
	}

	@Test
	void thresholdsComeFromProperties() {
		this.contextRunner
			.withPropertyValues("memory-guard.thresholds.warning=0.6", "memory-guard.thresholds.critical=0.8",
					"memory-guard.thresholds.recovery-margin=0.02", "memory-guard.container.warning=0.7",
					"memory-guard.container.critical=0.9")
			.run((context) -> assertThat(context.getBean(MemoryGuard.class).thresholds())
				.isEqualTo(new MemoryThresholds(0.6, 0.8, 0.02, 0.7, 0.9)));
	}

	@Test
	void closingTheContextStopsTheSampler() {
		this.contextRunner.withUserConfiguration(ProbeConfiguration.class).run((context) -> {
			MemoryGuard guard = context.getBean(MemoryGuard.class);
			assertThat(guard.isRunning()).isTrue();
			context.close();
			assertThat(guard.isRunning()).isFalse();
		});
	}

	@Test
	void criticalBelowWarningFailsStartup() {
		assertFailure("memory-guard.thresholds.critical=0.6", "memory-guard.thresholds.critical", "0.6",
				"above memory-guard.thresholds.warning");
	}

	@Test
	void criticalEqualToWarningFailsStartup() {
		assertFailure("memory-guard.thresholds.critical=0.7", "memory-guard.thresholds.critical", "0.7",
				"above memory-guard.thresholds.warning");
	}

	@Test
	void percentageInsteadOfFractionFailsStartupWithTheFraction() {
		assertFailure("memory-guard.thresholds.critical=85", "memory-guard.thresholds.critical", "85",
				"memory-guard.thresholds.critical=0.85");
	}

	@Test
	void ratioOfOneFailsStartup() {
		assertFailure("memory-guard.thresholds.warning=1", "memory-guard.thresholds.warning", "1",
				"fraction such as 0.70");
	}

	@Test
	void negativeRatioFailsStartup() {
		assertFailure("memory-guard.container.warning=-0.5", "memory-guard.container.warning", "-0.5",
				"fraction such as 0.85");
	}

	@Test
	void zeroSamplingIntervalFailsStartup() {
		assertFailure("memory-guard.sampling.interval=0s", "memory-guard.sampling.interval", "PT0S",
				"duration such as 1s");
	}

	@Test
	void negativeSamplingIntervalFailsStartup() {
		assertFailure("memory-guard.sampling.interval=-5s", "memory-guard.sampling.interval", "PT-5S",
				"duration such as 1s");
	}

	@Test
	void negativeCacheSizeFailsStartup() {
		assertFailure("memory-guard.caches.users.max-size=-1MB", "memory-guard.caches.users.max-size", "-1048576B",
				"positive size");
	}

	@Test
	void cacheWithoutBoundFailsStartup() {
		assertFailure("memory-guard.caches.users.expire-after-write=10m", "memory-guard.caches.users.max-entries",
				"null", "max-size");
	}

	@Test
	void minBatchSizeAboveBatchSizeFailsStartup() {
		assertFailure("memory-guard.jdbc.min-batch-size=500", "memory-guard.jdbc.min-batch-size", "500",
				"between 1 and the batch size");
	}

	@Test
	void negativeMaxDeferralsFailsStartup() {
		assertFailure("memory-guard.jobs.max-deferrals=-1", "memory-guard.jobs.max-deferrals", "-1", "0 or more");
	}

	@Test
	void recoveryMarginAboveWarningFailsStartup() {
		assertFailure("memory-guard.thresholds.recovery-margin=0.8", "memory-guard.thresholds.recovery-margin", "0.8",
				"small fraction");
	}

	private void assertFailure(String property, String name, String value, String fix) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			FailureAnalysis analysis = new InvalidMemoryGuardPropertyFailureAnalyzer().analyze(failure);
			assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
			assertThat(analysis.getDescription()).contains(name).contains("'" + value + "'");
			assertThat(analysis.getAction()).contains(fix);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserGuard {

		final MemoryGuard guard = new MemoryGuard(new ManualMemoryProbe(), MemoryThresholds.DEFAULTS,
				java.time.Duration.ofSeconds(1));

		@Bean
		MemoryGuard userMemoryGuard() {
			return this.guard;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProbeConfiguration {

		@Bean
		ManualMemoryProbe manualMemoryProbe() {
			return new ManualMemoryProbe();
		}

	}

	static class EventRecorder implements ApplicationListener<MemoryPressureChangedEvent> {

		final List<MemoryPressureChangedEvent> events = new ArrayList<>();

		@Override
		public void onApplicationEvent(MemoryPressureChangedEvent event) {
			this.events.add(event);
		}

	}

}
