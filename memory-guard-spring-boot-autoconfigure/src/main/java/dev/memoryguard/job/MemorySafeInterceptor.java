package dev.memoryguard.job;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Applies the {@code @MemorySafe} policy of the called method, if it has one.
 */
final class MemorySafeInterceptor implements MethodInterceptor {

	private final GuardedJobs jobs;

	MemorySafeInterceptor(GuardedJobs jobs) {
		this.jobs = jobs;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		GuardedJob job = this.jobs.find(invocation.getMethod(), invocation.getThis());
		return (job != null) ? job.invoke(invocation) : invocation.proceed();
	}

}
