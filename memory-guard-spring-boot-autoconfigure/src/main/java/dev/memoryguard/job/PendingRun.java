package dev.memoryguard.job;

import java.util.concurrent.ScheduledFuture;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * A deferred call waiting for memory: the invocation to resume, how often it was put
 * off, and its re-check timer. Whoever {@link #claim() claims} it first (the re-run, the
 * last re-check, shutdown) settles it.
 */
final class PendingRun {

	final GuardedJob job;

	final MethodInvocation invocation;

	private int deferrals;

	private boolean settled;

	private @Nullable ScheduledFuture<?> timer;

	PendingRun(GuardedJob job, MethodInvocation invocation) {
		this.job = job;
		this.invocation = invocation;
	}

	synchronized boolean claim() {
		if (this.settled) {
			return false;
		}
		this.settled = true;
		if (this.timer != null) {
			this.timer.cancel(false);
		}
		return true;
	}

	synchronized boolean isSettled() {
		return this.settled;
	}

	/**
	 * Counts one more deferral unless the run is settled or has used up its deferrals.
	 * @return {@code true} when deferred once more
	 */
	synchronized boolean deferOnceMore() {
		if (this.settled || this.deferrals >= this.job.maxDeferrals()) {
			return false;
		}
		this.deferrals++;
		return true;
	}

	synchronized int deferrals() {
		return this.deferrals;
	}

	synchronized void timer(ScheduledFuture<?> timer) {
		if (this.settled) {
			timer.cancel(false);
		}
		else {
			this.timer = timer;
		}
	}

}
