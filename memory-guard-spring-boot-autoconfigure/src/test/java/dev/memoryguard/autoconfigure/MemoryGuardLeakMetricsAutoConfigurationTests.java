package dev.memoryguard.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.memoryguard.MemoryReliefAction;
import dev.memoryguard.relief.MemoryRelief;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardLeakMetricsAutoConfiguration}.
 */
class MemoryGuardLeakMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				MemoryGuardAutoConfiguration.class, MemoryGuardLeakAutoConfiguration.class,
				MemoryGuardReliefAutoConfiguration.class, MemoryGuardLeakMetricsAutoConfiguration.class));

	@Test
	void leakGaugesReadTheLeakMonitor() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("memory.guard.leak.suspected").gauge().value()).isZero();
			assertThat(registry.get("memory.guard.heap.exhaustion").gauge().value()).isNaN();
			assertThat(registry.get("memory.guard.heap.exhaustion").gauge().getId().getBaseUnit())
				.isEqualTo("seconds");
		});
	}

	@Test
	void reliefCountersCountRunsAndFreedBytes() {
		this.contextRunner
			.withBean("freeing", MemoryReliefAction.class, () -> (pressure) -> 1024)
			.run((context) -> {
				context.publishEvent("an unrelated payload");
				MemoryRelief relief = context.getBean(MemoryRelief.class);
				relief.relieve("endpoint");
				relief.relieve("endpoint");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("memory.guard.relief").counter().count()).isEqualTo(2);
				assertThat(registry.get("memory.guard.relief.freed").counter().count()).isEqualTo(2048);
				assertThat(registry.get("memory.guard.relief.freed").counter().getId().getBaseUnit())
					.isEqualTo("bytes");
			});
	}

	@Test
	void prometheusNamesFollowTheContract() {
		this.contextRunner
			.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
			.run((context) -> {
				context.getBean(MemoryRelief.class).relieve("endpoint");
				String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
				assertThat(scrape).contains("memory_guard_leak_suspected 0.0")
					.contains("memory_guard_heap_exhaustion_seconds NaN")
					.contains("memory_guard_relief_total 1.0")
					.contains("memory_guard_relief_freed_bytes_total 0.0");
			});
	}

	@Test
	void leakDisabledShouldNotRegisterLeakGauges() {
		this.contextRunner.withPropertyValues("memory-guard.leak.enabled=false").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("memory.guard.leak.suspected").gauge()).isNull();
			assertThat(registry.find("memory.guard.relief").counter()).isNotNull();
		});
	}

	@Test
	void runWithoutMeterRegistryShouldNotCreateMeters() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MemoryGuardAutoConfiguration.class,
					MemoryGuardLeakAutoConfiguration.class, MemoryGuardReliefAutoConfiguration.class,
					MemoryGuardLeakMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(LeakMeters.class)
				.doesNotHaveBean(ReliefMeters.class)
				.hasSingleBean(MemoryRelief.class));
	}

}
