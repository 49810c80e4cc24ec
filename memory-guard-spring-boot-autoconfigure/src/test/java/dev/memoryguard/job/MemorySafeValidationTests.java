package dev.memoryguard.job;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.annotation.OnPressure;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemorySafeAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the startup validation of {@code @MemorySafe} attributes.
 */
class MemorySafeValidationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemorySafeAutoConfiguration.class))
		.withBean(ManualMemoryProbe.class);

	@Test
	void unparsableRequiresFailsStartup() {
		assertStartupFails(BadRequires.class,
				"Invalid @MemorySafe on method BadRequires.run() of bean 'badRequires': requires = 'lots' is not a data size; write a size such as \"200MB\".");
	}

	@Test
	void negativeRequiresFailsStartup() {
		assertStartupFails(NegativeRequires.class,
				"Invalid @MemorySafe on method NegativeRequires.run() of bean 'negativeRequires': requires = '-5MB' is negative");
	}

	@Test
	void unparsableDeferDelayFailsStartup() {
		assertStartupFails(BadDeferDelay.class,
				"Invalid @MemorySafe on method BadDeferDelay.run() of bean 'badDeferDelay': deferDelay = 'soon' is not a duration; write a duration such as \"30s\" or \"PT30S\".");
	}

	@Test
	void zeroDeferDelayFailsStartup() {
		assertStartupFails(ZeroDeferDelay.class,
				"Invalid @MemorySafe on method ZeroDeferDelay.run() of bean 'zeroDeferDelay': deferDelay = '0s' is not positive");
	}

	@Test
	void negativeMaxDeferralsFailsStartup() {
		assertStartupFails(NegativeMaxDeferrals.class,
				"Invalid @MemorySafe on method NegativeMaxDeferrals.run() of bean 'negativeMaxDeferrals': maxDeferrals = -2 is negative");
	}

	@Test
	void skipOnAMethodReturningAValueFailsStartup() {
		assertStartupFails(SkipReturningValue.class,
				"Invalid @MemorySafe on method SkipReturningValue.total() of bean 'skipReturningValue': onPressure SKIP needs a method returning void or CompletableFuture<Void>, but it returns long; return nothing, or use onPressure = OnPressure.FAIL");
	}

	@Test
	void deferOnAFutureOfAValueFailsStartup() {
		assertStartupFails(DeferReturningFutureValue.class,
				"onPressure DEFER needs a method returning void or CompletableFuture<Void>, but it returns java.util.concurrent.CompletableFuture<java.lang.String>");
	}

	@Test
	void defaultPolicyFromPropertiesIsValidatedToo() {
		this.contextRunner.withPropertyValues("memory-guard.jobs.on-pressure=DEFER")
			.withUserConfiguration(DefaultPolicyReturningValue.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("method DefaultPolicyReturningValue.total()")
				.hasMessageContaining("onPressure DEFER needs a method returning void"));
	}

	@Test
	void unresolvablePlaceholderFailsStartup() {
		assertStartupFails(UnresolvablePlaceholder.class,
				"Invalid @MemorySafe on method UnresolvablePlaceholder.run() of bean 'unresolvablePlaceholder': requires = '${no.such.property}' cannot be resolved");
	}

	@Test
	void validAttributesStartFine() {
		this.contextRunner.withPropertyValues("report.delay=PT5S")
			.withUserConfiguration(Valid.class)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(Valid.class));
	}

	private void assertStartupFails(Class<?> configuration, String message) {
		this.contextRunner.withUserConfiguration(configuration)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidMemorySafeException.class)
				.hasMessageContaining(message));
	}

	@Configuration(value = "badRequires", proxyBeanMethods = false)
	static class BadRequires {

		@MemorySafe(requires = "lots")
		public void run() {
		}

	}

	@Configuration(value = "negativeRequires", proxyBeanMethods = false)
	static class NegativeRequires {

		@MemorySafe(requires = "-5MB")
		public void run() {
		}

	}

	@Configuration(value = "badDeferDelay", proxyBeanMethods = false)
	static class BadDeferDelay {

		@MemorySafe(onPressure = OnPressure.DEFER, deferDelay = "soon")
		public void run() {
		}

	}

	@Configuration(value = "zeroDeferDelay", proxyBeanMethods = false)
	static class ZeroDeferDelay {

		@MemorySafe(onPressure = OnPressure.DEFER, deferDelay = "0s")
		public void run() {
		}

	}

	@Configuration(value = "negativeMaxDeferrals", proxyBeanMethods = false)
	static class NegativeMaxDeferrals {

		@MemorySafe(onPressure = OnPressure.DEFER, maxDeferrals = -2)
		public void run() {
		}

	}

	@Configuration(value = "skipReturningValue", proxyBeanMethods = false)
	static class SkipReturningValue {

		@MemorySafe(onPressure = OnPressure.SKIP)
		public long total() {
			return 1;
		}

	}

	@Configuration(value = "deferReturningFutureValue", proxyBeanMethods = false)
	static class DeferReturningFutureValue {

		@MemorySafe(onPressure = OnPressure.DEFER)
		public CompletableFuture<String> load() {
			return CompletableFuture.completedFuture("x");
		}

	}

	@Configuration(value = "defaultPolicyReturningValue", proxyBeanMethods = false)
	static class DefaultPolicyReturningValue {

		@MemorySafe
		public long total() {
			return 1;
		}

	}

	@Configuration(value = "unresolvablePlaceholder", proxyBeanMethods = false)
	static class UnresolvablePlaceholder {

		@MemorySafe(requires = "${no.such.property}")
		public void run() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Valid {

		@MemorySafe(requires = "${report.headroom:64MB}", onPressure = OnPressure.DEFER, deferDelay = "${report.delay}",
				maxDeferrals = 0)
		public CompletableFuture<Void> run() {
			return CompletableFuture.completedFuture(null);
		}

		@MemorySafe(onPressure = OnPressure.FAIL)
		public long total() {
			return 1;
		}

	}

}
