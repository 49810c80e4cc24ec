package dev.memoryguard.actuate.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryProbe;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemoryGuardMetricsAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link MemoryGuardMetrics} and its auto-configuration.
 */
class MemoryGuardMetricsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				MemoryGuardAutoConfiguration.class, MemoryGuardMetricsAutoConfiguration.class))
		.withBean(MemoryProbe.class, ManualMemoryProbe::new);

	private final ManualMemoryProbe probe = new ManualMemoryProbe();

	private final MemoryGuard guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofSeconds(1));

	private final MeterRegistry registry = new SimpleMeterRegistry();

	@BeforeEach
	void bind() {
		this.guard.jobs().register("nightly-report");
		this.guard.start();
		new MemoryGuardMetrics(this.guard).bindTo(this.registry);
	}

	@AfterEach
	void stop() {
		this.guard.stop();
	}

	@Test
	void gaugesFollowTheGuard() {
		assertThat(gauge("memory.guard.pressure")).isZero();
		assertThat(gauge("memory.guard.heap.usage")).isCloseTo(0.10, within(1e-6));
		assertThat(gauge("memory.guard.heap.live")).isEqualTo((long) (ManualMemoryProbe.DEFAULT_HEAP_MAX * 0.10));
		assertThat(this.registry.get("memory.guard.heap.live").gauge().getId().getBaseUnit()).isEqualTo("bytes");
		this.probe.setPressure(MemoryPressure.WARNING);
		assertThat(gauge("memory.guard.pressure")).isEqualTo(1);
		this.probe.setPressure(MemoryPressure.CRITICAL);
		assertThat(gauge("memory.guard.pressure")).isEqualTo(2);
		assertThat(gauge("memory.guard.heap.usage")).isCloseTo(0.95, within(1e-6));
	}

	@Test
	void transitionsAreCountedByFromAndTo() {
		assertThat(transitions("NORMAL", "CRITICAL")).isZero();
		assertThat(this.registry.find("memory.guard.transitions").counters()).hasSize(6);
		this.probe.setPressure(MemoryPressure.CRITICAL);
		this.probe.setPressure(MemoryPressure.NORMAL);
		this.probe.setPressure(MemoryPressure.CRITICAL);
		assertThat(transitions("NORMAL", "CRITICAL")).isEqualTo(2);
		assertThat(transitions("CRITICAL", "NORMAL")).isEqualTo(1);
		assertThat(transitions("NORMAL", "WARNING")).isZero();
	}

	@Test
	void jobOutcomesAndAllocationsAreRecorded() {
		assertThat(jobs("nightly-report", "skipped")).isZero();
		this.guard.jobs().recordSkipped("nightly-report");
		this.guard.jobs().recordDeferred("nightly-report");
		this.guard.jobs().recordRun("nightly-report", 2048, Duration.ofMillis(5));
		this.guard.execute("export", () -> new byte[1024 * 1024]);
		this.probe.setPressure(MemoryPressure.CRITICAL);
		try {
			this.guard.execute("export", () -> "refused");
		}
		catch (RuntimeException ex) {
			// counted as failed
		}
		assertThat(jobs("nightly-report", "skipped")).isEqualTo(1);
		assertThat(jobs("nightly-report", "deferred")).isEqualTo(1);
		assertThat(jobs("nightly-report", "ran")).isEqualTo(1);
		assertThat(jobs("export", "ran")).isEqualTo(1);
		assertThat(jobs("export", "failed")).isEqualTo(1);
		DistributionSummary nightly = this.registry.get("memory.guard.job.allocated").tag("name", "nightly-report")
			.summary();
		assertThat(nightly.count()).isEqualTo(1);
		assertThat(nightly.totalAmount()).isEqualTo(2048);
		assertThat(nightly.getId().getBaseUnit()).isEqualTo("bytes");
		assertThat(this.registry.get("memory.guard.job.allocated").tag("name", "export").summary().max())
			.isGreaterThanOrEqualTo(1024 * 1024);
	}

	@Test
	void runShouldRegisterMetersInTheApplicationRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MemoryGuardMetrics.class);
			MeterRegistry applicationRegistry = context.getBean(MeterRegistry.class);
			assertThat(applicationRegistry.find("memory.guard.pressure").gauge()).isNotNull();
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.WARNING);
			assertThat(applicationRegistry.get("memory.guard.pressure").gauge().value()).isEqualTo(1);
			assertThat(applicationRegistry.get("memory.guard.transitions")
				.tags("from", "NORMAL", "to", "WARNING")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void runWithoutMeterRegistryShouldNotCreateMetrics() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(MemoryGuardAutoConfiguration.class,
							MemoryGuardMetricsAutoConfiguration.class))
			.withBean(MemoryProbe.class, ManualMemoryProbe::new)
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryGuardMetrics.class));
	}

	@Test
	void runWithoutMicrometerShouldNotCreateMetrics() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(MemoryGuardAutoConfiguration.class,
							MemoryGuardMetricsAutoConfiguration.class))
			.withBean(MemoryProbe.class, ManualMemoryProbe::new)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryGuardMetrics.class));
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

	private double transitions(String from, String to) {
		return this.registry.get("memory.guard.transitions").tags("from", from, "to", to).counter().count();
	}

	private double jobs(String job, String outcome) {
		return this.registry.get("memory.guard.jobs").tags("name", job, "outcome", outcome).counter().count();
	}

}
