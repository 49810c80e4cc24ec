package dev.memoryguard.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.job.InvalidMemorySafeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link InvalidMemorySafeFailureAnalyzer}.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidMemorySafeFailureAnalyzerTests {

	@Test
	void startupReportNamesBeanMethodAndFix(CapturedOutput output) {
		SpringApplication application = new SpringApplication(BadJob.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatExceptionOfType(Exception.class).isThrownBy(application::run)
			.withRootCauseInstanceOf(InvalidMemorySafeException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid @MemorySafe on method BadJob.run() of bean 'badJob': requires = '1 lot' is not a data size")
			.contains("Update the @MemorySafe annotation on public void "
					+ "dev.memoryguard.autoconfigure.InvalidMemorySafeFailureAnalyzerTests$BadJob.run(): "
					+ "write a size such as \"200MB\"");
	}

	@Configuration(value = "badJob", proxyBeanMethods = false)
	@ImportAutoConfiguration({ MemoryGuardAutoConfiguration.class, MemorySafeAutoConfiguration.class })
	static class BadJob {

		@Bean
		ManualMemoryProbe memoryProbe() {
			return new ManualMemoryProbe();
		}

		@MemorySafe(requires = "1 lot")
		public void run() {
		}

	}

}
