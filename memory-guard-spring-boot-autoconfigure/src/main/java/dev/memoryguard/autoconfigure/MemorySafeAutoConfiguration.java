package dev.memoryguard.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.job.JobAccounting;
import dev.memoryguard.job.JobDeferrals;
import dev.memoryguard.job.MemorySafeBeanPostProcessor;
import dev.memoryguard.job.MemorySafeDefaults;

/**
 * Auto-configuration for {@link dev.memoryguard.annotation.MemorySafe @MemorySafe}
 * methods: the post-processor that guards them and the deferrals of their
 * {@code DEFER} calls.
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnClass(name = "org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor")
@ConditionalOnBean(MemoryGuard.class)
public final class MemorySafeAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static MemorySafeBeanPostProcessor memorySafeBeanPostProcessor(Environment environment,
			ObjectProvider<MemoryGuard> guard, ObjectProvider<JobAccounting> accounting,
			ObjectProvider<MemoryGuardProperties> properties, ObjectProvider<JobDeferrals> deferrals) {
		MemorySafeBeanPostProcessor postProcessor = new MemorySafeBeanPostProcessor(guard::getObject,
				accounting::getObject, () -> defaults(properties.getObject()), deferrals::getObject);
		postProcessor.setOrder(Binder.get(environment)
			.bind("memory-guard.jobs.order", Integer.class)
			.orElse(MemorySafeBeanPostProcessor.DEFAULT_ORDER));
		postProcessor.setProxyTargetClass(
				environment.getProperty("spring.aop.proxy-target-class", Boolean.class, Boolean.TRUE));
		return postProcessor;
	}

	@Bean
	@ConditionalOnMissingBean
	JobDeferrals memoryGuardJobDeferrals(MemoryGuard guard, ObjectProvider<TaskScheduler> scheduler) {
		return new JobDeferrals(guard, scheduler::getIfUnique);
	}

	private static MemorySafeDefaults defaults(MemoryGuardProperties properties) {
		MemoryGuardProperties.Jobs jobs = properties.getJobs();
		return new MemorySafeDefaults(jobs.getOnPressure(), jobs.getThreshold(), jobs.getDeferDelay(),
				jobs.getMaxDeferrals());
	}

}
