package dev.memoryguard.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.web.Admission;
import dev.memoryguard.web.HttpShedMetrics;
import dev.memoryguard.web.HttpShedding;
import dev.memoryguard.web.MemoryPressureProblems;
import dev.memoryguard.web.reactive.AdmissionWebFilter;
import dev.memoryguard.web.reactive.MemoryPressureWebExceptionHandler;
import dev.memoryguard.web.servlet.AdmissionFilter;
import dev.memoryguard.web.servlet.MemoryPressureExceptionHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardWebAutoConfiguration},
 * {@link MemoryGuardServletWebAutoConfiguration} and
 * {@link MemoryGuardReactiveWebAutoConfiguration}.
 */
class MemoryGuardWebAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(MemoryGuardAutoConfiguration.class,
			MemoryGuardWebAutoConfiguration.class, MemoryGuardServletWebAutoConfiguration.class,
			MemoryGuardReactiveWebAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS);

	private final ReactiveWebApplicationContextRunner reactiveContextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS);

	@Test
	void runInServletApplicationShouldAnswerRefusalsButAdmitEverythingByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HttpShedding.class);
			assertThat(context).hasSingleBean(HttpShedMetrics.class);
			assertThat(context).hasSingleBean(MemoryPressureExceptionHandler.class);
			assertThat(context).doesNotHaveBean(Admission.class);
			assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
			assertThat(context).doesNotHaveBean(TomcatConnectorCustomizer.class);
			assertThat(context.getBean(HttpShedding.class).isAdmissionEnabled()).isFalse();
		});
	}

	@Test
	void runInServletApplicationWithSheddingEnabledShouldRegisterTheAdmissionFilter() {
		this.contextRunner.withPropertyValues("memory-guard.web.shed.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(Admission.class);
			FilterRegistrationBean<?> registration = context.getBean("memoryGuardAdmissionFilter",
					FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(AdmissionFilter.class);
			assertThat(registration.getOrder()).isEqualTo(AdmissionFilter.ORDER);
			assertThat(context).hasBean("memoryGuardTomcatExpectContinue");
			assertThat(context.getBean(HttpShedding.class).isAdmissionEnabled()).isTrue();
		});
	}

	@Test
	void runInReactiveApplicationShouldAnswerRefusalsAndAdmitWhenEnabled() {
		this.reactiveContextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MemoryPressureWebExceptionHandler.class);
			assertThat(context).doesNotHaveBean(MemoryPressureExceptionHandler.class);
			assertThat(context).doesNotHaveBean(AdmissionWebFilter.class);
		});
		this.reactiveContextRunner.withPropertyValues("memory-guard.web.shed.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(AdmissionWebFilter.class);
			assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
		});
	}

	@Test
	void runOutsideWebApplicationShouldCreateNothing() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("memory-guard.web.shed.enabled=true")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(HttpShedding.class);
				assertThat(context).doesNotHaveBean(Admission.class);
				assertThat(context).doesNotHaveBean(MemoryPressureProblems.class);
			});
	}

	@Test
	void runWhenGuardDisabledShouldCreateNothing() {
		this.contextRunner.withPropertyValues("memory-guard.enabled=false", "memory-guard.web.shed.enabled=true")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(HttpShedding.class);
				assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
			});
	}

	@Test
	void runWithoutSpringMvcShouldNotRegisterServletParts() {
		this.contextRunner.withPropertyValues("memory-guard.web.shed.enabled=true")
			.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(MemoryPressureExceptionHandler.class);
				assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
			});
	}

	@Test
	void userDefinedBeansBackOff() {
		this.contextRunner.withPropertyValues("memory-guard.web.shed.enabled=true")
			.withUserConfiguration(UserBeans.class)
			.run((context) -> {
				assertThat(context).getBean(HttpShedding.class).isSameAs(context.getBean("userShedding"));
				assertThat(context).getBean(MemoryPressureProblems.class).isSameAs(context.getBean("userProblems"));
				assertThat(context.getBean(HttpShedding.class).isAdmissionEnabled()).isFalse();
			});
	}

	@Test
	void normalThresholdFailsStartup() {
		assertFailure("memory-guard.web.shed.threshold=normal", "memory-guard.web.shed.threshold", "NORMAL",
				"WARNING or CRITICAL");
	}

	@Test
	void negativeBodyFactorFailsStartup() {
		assertFailure("memory-guard.web.shed.body-factor=-1", "memory-guard.web.shed.body-factor", "-1",
				"0 turns body accounting off");
	}

	@Test
	void retryAfterBelowOneSecondFailsStartup() {
		assertFailure("memory-guard.web.retry-after=500ms", "memory-guard.web.retry-after", "PT0.5S",
				"a duration such as 10s");
	}

	@Test
	void relativePathPatternFailsStartup() {
		assertFailure("memory-guard.web.shed.exclude=/health,api/**", "memory-guard.web.shed.exclude", "api/**",
				"such as /api/**");
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
	static class UserBeans {

		@Bean
		HttpShedding userShedding() {
			return new HttpShedding(false, MemoryPressure.NORMAL);
		}

		@Bean
		MemoryPressureProblems userProblems() {
			return new MemoryPressureProblems(Duration.ofSeconds(30));
		}

	}

}
