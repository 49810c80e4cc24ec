package dev.memoryguard.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryReliefAction;
import dev.memoryguard.relief.DefaultMemoryRelief;
import dev.memoryguard.relief.MemoryRelief;
import dev.memoryguard.relief.ReliefReport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MemoryGuardReliefAutoConfiguration}.
 */
class MemoryGuardReliefAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemoryGuardReliefAutoConfiguration.class))
		.withUserConfiguration(ReliefConfiguration.class);

	@Test
	void enteringCriticalRunsEveryReliefActionInOrderAndPublishesTheReport() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DefaultMemoryRelief.class);
			ReliefConfiguration configuration = context.getBean(ReliefConfiguration.class);
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
			await().atMost(Duration.ofSeconds(10)).until(() -> configuration.reports.size() == 1);
			ReliefReport report = configuration.reports.get(0);
			assertThat(report.trigger()).isEqualTo("critical");
			assertThat(report.actions()).extracting((action) -> action.name()).containsExactly("first", "second");
			assertThat(report.freed()).isEqualTo(3);
			assertThat(configuration.ran).containsExactly("first at CRITICAL", "second at CRITICAL");
		});
	}

	@Test
	void reliefOnDemandDoesNotNeedPressure() {
		this.contextRunner.run((context) -> {
			ReliefReport report = context.getBean(MemoryRelief.class).relieve("endpoint");
			assertThat(report.actions()).hasSize(2);
			assertThat(context.getBean(ReliefConfiguration.class).ran).containsExactly("first at NORMAL",
					"second at NORMAL");
		});
	}

	@Test
	void gcPropertyAddsAGcRequest() {
		this.contextRunner.withPropertyValues("memory-guard.relief.gc=true")
			.run((context) -> assertThat(context.getBean(MemoryRelief.class).relieve("endpoint").actions())
				.extracting((action) -> action.name())
				.containsExactly("first", "second", "gc"));
	}

	@Test
	void userDefinedMemoryReliefBacksOff() {
		MemoryRelief mine = (trigger) -> null;
		this.contextRunner.withBean(MemoryRelief.class, () -> mine).run((context) -> {
			assertThat(context).doesNotHaveBean(DefaultMemoryRelief.class);
			assertThat(context).getBean(MemoryRelief.class).isSameAs(mine);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ReliefConfiguration {

		final List<String> ran = new CopyOnWriteArrayList<>();

		final List<ReliefReport> reports = new CopyOnWriteArrayList<>();

		@Bean
		ManualMemoryProbe memoryProbe() {
			return new ManualMemoryProbe();
		}

		@Bean
		@Order(2)
		MemoryReliefAction second() {
			return action("second", 2);
		}

		@Bean
		@Order(1)
		MemoryReliefAction first() {
			return action("first", 1);
		}

		@Bean
		ApplicationListener<PayloadApplicationEvent<ReliefReport>> reliefReports() {
			return new ApplicationListener<>() {

				@Override
				public void onApplicationEvent(PayloadApplicationEvent<ReliefReport> event) {
					ReliefConfiguration.this.reports.add(event.getPayload());
				}

			};
		}

		private MemoryReliefAction action(String name, long freed) {
			return new MemoryReliefAction() {

				@Override
				public long relieve(MemoryPressure pressure) {
					ReliefConfiguration.this.ran.add(name + " at " + pressure);
					return freed;
				}

				@Override
				public String name() {
					return name;
				}

			};
		}

	}

}
