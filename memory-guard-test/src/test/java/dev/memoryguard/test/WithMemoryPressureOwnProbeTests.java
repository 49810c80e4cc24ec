package dev.memoryguard.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryProbe;
import dev.memoryguard.MemoryReading;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.test.Samples.Sample;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WithMemoryPressure} in application contexts that define a
 * {@link MemoryProbe} of their own, or no guard at all.
 */
@SpringJUnitConfig(WithMemoryPressureOwnProbeTests.OwnManualProbe.class)
class WithMemoryPressureOwnProbeTests {

	@Autowired
	private MemoryGuard guard;

	@Autowired
	private ManualMemoryProbe probe;

	@Test
	@WithMemoryPressure(MemoryPressure.CRITICAL)
	void ownManualProbeIsKeptAndDriven() {
		assertThat(this.guard.probe()).isSameAs(this.probe).isNotInstanceOf(TestMemoryProbe.class);
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.CRITICAL);
	}

	@Test
	void ownProbeThatCannotBeSetFailsTheTestSayingWhy() {
		assertThat(failure(OwnJvmLikeProbeSample.class))
			.isEqualTo("@WithMemoryPressure on OwnJvmLikeProbeSample.critical cannot set the level: the guard reads "
					+ "the application's own MemoryProbe (sidecar), which is not a ManualMemoryProbe; remove that bean "
					+ "from the test's context, or make it a TestMemoryProbe");
	}

	@Test
	void contextWithoutGuardFailsTheTestSayingWhy() {
		assertThat(failure(NoGuardSample.class)).isEqualTo("@WithMemoryPressure on NoGuardSample.critical needs a "
				+ "MemoryGuard in the application context, and there is none: memory-guard.enabled=false, or a slice "
				+ "test without memory-guard's auto-configuration (add "
				+ "@ImportAutoConfiguration(MemoryGuardAutoConfiguration.class))");
	}

	private static String failure(Class<?> sample) {
		return Samples.failure(Samples.run(sample));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(MemoryGuardAutoConfiguration.class)
	static class OwnManualProbe {

		@Bean
		ManualMemoryProbe sidecarProbe() {
			return new ManualMemoryProbe();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(MemoryGuardAutoConfiguration.class)
	static class OwnJvmLikeProbe {

		@Bean
		MemoryProbe sidecarProbe() {
			ManualMemoryProbe readings = new ManualMemoryProbe();
			return new MemoryProbe() {

				@Override
				public MemoryReading read() {
					return readings.read();
				}

				@Override
				public String describe() {
					return "sidecar";
				}

			};
		}

	}

	@Sample
	@SpringJUnitConfig(OwnJvmLikeProbe.class)
	static class OwnJvmLikeProbeSample {

		@Test
		@WithMemoryPressure(MemoryPressure.CRITICAL)
		void critical() {
		}

	}

	@Sample
	@SpringJUnitConfig(NoGuardSample.class)
	@Configuration(proxyBeanMethods = false)
	static class NoGuardSample {

		@Test
		@WithMemoryPressure(MemoryPressure.CRITICAL)
		void critical() {
		}

	}

}
