package dev.memoryguard.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.servlet.function.RouterFunction;

import dev.memoryguard.dashboard.MemoryGuardDashboard;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardDashboardAutoConfiguration}.
 */
class MemoryGuardDashboardAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemoryGuardDashboardAutoConfiguration.class));

	@Test
	void runShouldNotServeTheDashboardByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(MemoryGuardDashboard.class);
			assertThat(context).doesNotHaveBean(RouterFunction.class);
			assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
		});
	}

	@Test
	void runWhenEnabledShouldServeTheDashboardAtItsPath() {
		this.contextRunner.withPropertyValues("memory-guard.dashboard.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(MemoryGuardDashboard.class);
			assertThat(context).hasBean("memoryGuardDashboardRoutes");
			assertThat(context.getBean(MemoryGuardDashboard.class).path()).isEqualTo("/memory-guard");
			assertThat(context.getBean("memoryGuardDashboardEtagFilter", FilterRegistrationBean.class).getUrlPatterns())
				.containsExactly("/memory-guard/*");
		});
	}

	@Test
	void trailingSlashOfThePathIsIgnored() {
		this.contextRunner.withPropertyValues("memory-guard.dashboard.enabled=true", "memory-guard.dashboard.path=/ops/")
			.run((context) -> assertThat(context.getBean(MemoryGuardDashboard.class).path()).isEqualTo("/ops"));
	}

	@Test
	void relativePathFailsStartup() {
		this.contextRunner.withPropertyValues("memory-guard.dashboard.enabled=true", "memory-guard.dashboard.path=ops")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("memory-guard.dashboard.path"));
	}

	@Test
	void runWhenGuardDisabledShouldNotServeTheDashboard() {
		this.contextRunner.withPropertyValues("memory-guard.dashboard.enabled=true", "memory-guard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryGuardDashboard.class));
	}

	@Test
	void runWithoutSpringMvcShouldNotServeTheDashboard() {
		this.contextRunner.withPropertyValues("memory-guard.dashboard.enabled=true")
			.withClassLoader(new FilteredClassLoader(RouterFunction.class))
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryGuardDashboard.class));
	}

	@Test
	void runInReactiveApplicationShouldNotServeTheDashboard() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MemoryGuardAutoConfiguration.class,
					MemoryGuardDashboardAutoConfiguration.class))
			.withPropertyValues("memory-guard.dashboard.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryGuardDashboard.class));
	}

	@Test
	void runInNonWebApplicationShouldNotServeTheDashboard() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MemoryGuardAutoConfiguration.class,
					MemoryGuardDashboardAutoConfiguration.class))
			.withPropertyValues("memory-guard.dashboard.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryGuardDashboard.class));
	}

}
