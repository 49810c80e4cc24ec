package dev.memoryguard.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.job.JobDeferrals;
import dev.memoryguard.job.MemorySafeBeanPostProcessor;
import dev.memoryguard.job.MemorySafeDefaults;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemorySafeAutoConfiguration}.
 */
class MemorySafeAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemorySafeAutoConfiguration.class))
		.withBean(ManualMemoryProbe.class);

	@Test
	void runShouldCreatePostProcessorAndDeferrals() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MemorySafeBeanPostProcessor.class).hasSingleBean(JobDeferrals.class);
			assertThat(context.getBean(MemorySafeBeanPostProcessor.class).getOrder())
				.isEqualTo(MemorySafeBeanPostProcessor.DEFAULT_ORDER);
			assertThat(context.getBean(MemorySafeBeanPostProcessor.class).isProxyTargetClass()).isTrue();
		});
	}

	@Test
	void runWhenDisabledShouldNotCreatePostProcessor() {
		this.contextRunner.withPropertyValues("memory-guard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MemorySafeBeanPostProcessor.class)
				.doesNotHaveBean(JobDeferrals.class));
	}

	@Test
	void runWithoutSpringAopShouldNotCreatePostProcessor() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader(AbstractBeanFactoryAwareAdvisingPostProcessor.class))
			.run((context) -> assertThat(context).doesNotHaveBean(MemorySafeBeanPostProcessor.class));
	}

	@Test
	void userDefinedPostProcessorBacksOff() {
		this.contextRunner
			.withBean("customMemorySafe", MemorySafeBeanPostProcessor.class,
					() -> new MemorySafeBeanPostProcessor(() -> null, () -> null, () -> MemorySafeDefaults.STANDARD,
							() -> null))
			.run((context) -> assertThat(context).getBeanNames(MemorySafeBeanPostProcessor.class)
				.containsExactly("customMemorySafe"));
	}

}
