package dev.memoryguard.actuate.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryProbe;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemoryGuardReadinessAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryReadinessStateUpdater}.
 */
class MemoryReadinessStateUpdaterTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
				MemoryGuardAutoConfiguration.class, MemoryGuardReadinessAutoConfiguration.class))
		.withBean(MemoryProbe.class, ManualMemoryProbe::new);

	@Test
	void runWithoutPropertyShouldNotCreateUpdater() {
		this.contextRunner
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryReadinessStateUpdater.class));
	}

	@Test
	void criticalRefusesTrafficAndRecoveryAcceptsItAgain() {
		this.contextRunner.withPropertyValues("memory-guard.readiness.enabled=true").run((context) -> {
			ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			probe.setPressure(MemoryPressure.WARNING);
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
			probe.setPressure(MemoryPressure.CRITICAL);
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
			assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
			probe.setPressure(MemoryPressure.NORMAL);
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
		});
	}

	@Test
	void becomingReadyWhileCriticalRefusesTrafficAtOnce() {
		this.contextRunner.withPropertyValues("memory-guard.readiness.enabled=true").run((context) -> {
			ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			probe.setPressure(MemoryPressure.CRITICAL);
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
			probe.setPressure(MemoryPressure.NORMAL);
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
		});
	}

	@Test
	void readinessRefusedByTheApplicationStaysRefusedAfterRecovery() {
		this.contextRunner.withPropertyValues("memory-guard.readiness.enabled=true").run((context) -> {
			ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			probe.setPressure(MemoryPressure.CRITICAL);
			AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
			probe.setPressure(MemoryPressure.NORMAL);
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		});
	}

}
