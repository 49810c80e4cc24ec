package dev.memoryguard.job;

import java.util.function.Supplier;

import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.Ordered;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.annotation.MemorySafe;

/**
 * A bean post-processor that applies the memory check to every bean method annotated
 * with {@link MemorySafe @MemorySafe}, or declared by a type so annotated, the way
 * Spring's {@code ConcurrencyLimitBeanPostProcessor} applies {@code @ConcurrencyLimit}:
 * with a proxy and no AspectJ weaver.
 * <p>
 * The attributes of every guarded method are resolved (placeholders included) and
 * validated when its bean is post-processed, so that a bad value stops startup with a
 * message naming the bean and method.
 * <p>
 * <strong>Ordering.</strong> The advisor is put in front of the advisors the bean's
 * proxy already has, so the check runs before {@code @Transactional},
 * {@code @Cacheable}, ShedLock's {@code @SchedulerLock} and Resilience4j's aspects: a
 * call refused for memory neither opens a transaction nor takes a cluster lock. Among
 * other post-processors that put their advisor in front, such as the one for
 * {@code @Async}, the one that runs later ends up outermost: with the default
 * {@linkplain #DEFAULT_ORDER order} this one runs just before them, so {@code @Async}
 * wraps the check and the memory is checked (and accounted) on the thread that does the
 * work.
 * <p>
 * <strong>Ahead of time.</strong> Like Framework's own advising post-processors, it
 * tells the type of each proxy it will create ({@code determineBeanType}), so that Spring
 * AOT generates the proxy classes at build time and registers them for a native image.
 */
@SuppressWarnings("serial")
public class MemorySafeBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	/**
	 * Default order of this post-processor: one before
	 * {@link Ordered#LOWEST_PRECEDENCE}, the order of the {@code @Async},
	 * {@code @Retryable} and {@code @ConcurrencyLimit} post-processors, which therefore
	 * wrap it.
	 */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 1;

	private final transient GuardedJobs jobs;

	/**
	 * Creates a post-processor. Its collaborators are asked for when the first guarded
	 * bean is post-processed, not before.
	 * @param guard supplies the guard
	 * @param accounting supplies where runs are accounted
	 * @param defaults supplies the values of attributes left at their defaults
	 * @param deferrals supplies where deferred runs wait; asked at the first deferral
	 */
	public MemorySafeBeanPostProcessor(Supplier<MemoryGuard> guard, Supplier<JobAccounting> accounting,
			Supplier<MemorySafeDefaults> defaults, Supplier<JobDeferrals> deferrals) {
		setBeforeExistingAdvisors(true);
		setOrder(DEFAULT_ORDER);
		this.jobs = new GuardedJobs(guard, accounting, defaults, deferrals);
		Pointcut onType = new AnnotationMatchingPointcut(MemorySafe.class, true);
		Pointcut onMethod = new AnnotationMatchingPointcut(null, MemorySafe.class, true);
		this.advisor = new DefaultPointcutAdvisor(new ComposablePointcut(onType).union(onMethod),
				new MemorySafeInterceptor(this.jobs));
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		if (beanFactory instanceof ConfigurableBeanFactory configurable) {
			this.jobs.setResolver(configurable::resolveEmbeddedValue);
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof AopInfrastructureBean)) {
			Class<?> targetClass = AopUtils.getTargetClass(bean);
			if (isEligible(targetClass)) {
				this.jobs.register(beanName, targetClass);
			}
		}
		return super.postProcessAfterInitialization(bean, beanName);
	}

}
