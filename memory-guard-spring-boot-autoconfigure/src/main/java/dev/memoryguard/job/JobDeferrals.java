package dev.memoryguard.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressureChangedEvent;
import dev.memoryguard.MemoryPressureListener;

/**
 * Holds the deferred runs of {@code @MemorySafe(onPressure = DEFER)} methods: at most
 * one per job, re-run as soon as memory falls below the job's threshold (on the guard's
 * level change) or re-checked after the job's defer delay, until the job has used up its
 * deferrals and the call is counted as skipped.
 * <p>
 * Re-runs go to the application's {@link TaskScheduler} when there is one, else to a
 * daemon thread of their own. When the application stops, pending runs are cancelled,
 * counted as skipped and logged: no deferred call vanishes silently.
 */
public class JobDeferrals implements MemoryPressureListener, SmartLifecycle, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(JobDeferrals.class);

	private final MemoryGuard guard;

	private final Supplier<@Nullable TaskScheduler> applicationScheduler;

	private final Set<PendingRun> pending = ConcurrentHashMap.newKeySet();

	private volatile @Nullable TaskScheduler scheduler;

	private @Nullable ScheduledThreadPoolExecutor ownExecutor;

	private volatile boolean running;

	private volatile boolean stopped;

	/**
	 * Creates deferrals that listen to the guard's level changes.
	 * @param guard the guard
	 * @param applicationScheduler supplies the application's scheduler, or {@code null}
	 * when it has none; asked at the first deferral
	 */
	public JobDeferrals(MemoryGuard guard, Supplier<@Nullable TaskScheduler> applicationScheduler) {
		this.guard = guard;
		this.applicationScheduler = applicationScheduler;
		guard.addListener(this);
	}

	/**
	 * Returns the number of deferred runs waiting for memory.
	 * @return the pending runs
	 */
	public int pendingCount() {
		return this.pending.size();
	}

	void defer(GuardedJob job, MethodInvocation invocation) {
		PendingRun run = new PendingRun(job, resumable(invocation));
		if (this.stopped || !run.deferOnceMore()) {
			job.skipped("Skipping");
			return;
		}
		if (!job.pending.compareAndSet(null, run)) {
			// coalesce: the pending run stands for this call too
			job.skipped("Skipping");
			return;
		}
		this.pending.add(run);
		if (this.stopped && settle(run)) {
			job.skipped("Skipping");
			return;
		}
		job.deferred();
		schedule(run, job.deferDelay());
	}

	private static MethodInvocation resumable(MethodInvocation invocation) {
		return (invocation instanceof ProxyMethodInvocation proxied) ? proxied.invocableClone() : invocation;
	}

	private void schedule(PendingRun run, Duration delay) {
		try {
			run.timer(scheduler().schedule(() -> recheck(run), Instant.now().plus(delay)));
		}
		catch (TaskRejectedException | IllegalStateException ex) {
			if (settle(run)) {
				run.job.skipped("Skipping");
			}
		}
	}

	private void recheck(PendingRun run) {
		if (run.isSettled()) {
			return;
		}
		if (run.job.admits()) {
			rerun(run);
		}
		else if (run.deferOnceMore()) {
			run.job.deferred();
			schedule(run, run.job.deferDelay());
		}
		else if (settle(run)) {
			run.job.skipped("Gave up on");
			logger.info("Gave up on the deferred run of job '{}' after {} deferrals; counted as skipped", run.job.name(),
					run.deferrals());
		}
	}

	@Override
	public void onPressureChanged(MemoryPressureChangedEvent event) {
		for (PendingRun run : this.pending) {
			if (run.job.isBelowThreshold(event.current())) {
				try {
					// listeners run on the guard's threads: hand the re-run over
					scheduler().schedule(() -> recovered(run), Instant.now());
				}
				catch (TaskRejectedException | IllegalStateException ex) {
					// the timer still re-checks, or shutdown settles the run
				}
			}
		}
	}

	private void recovered(PendingRun run) {
		if (!run.isSettled() && run.job.admits()) {
			rerun(run);
		}
	}

	private void rerun(PendingRun run) {
		if (!settle(run)) {
			return;
		}
		try {
			run.job.run(run.invocation);
		}
		catch (Throwable ex) {
			logger.error("Deferred run of job '{}' failed", run.job.name(), ex);
		}
	}

	private boolean settle(PendingRun run) {
		if (!run.claim()) {
			return false;
		}
		this.pending.remove(run);
		run.job.pending.compareAndSet(run, null);
		return true;
	}

	private TaskScheduler scheduler() {
		TaskScheduler scheduler = this.scheduler;
		if (scheduler == null) {
			synchronized (this) {
				scheduler = this.scheduler;
				if (scheduler == null) {
					scheduler = this.applicationScheduler.get();
					if (scheduler == null) {
						ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
							Thread thread = new Thread(task, "memory-guard-deferrals");
							thread.setDaemon(true);
							return thread;
						});
						executor.setRemoveOnCancelPolicy(true);
						this.ownExecutor = executor;
						scheduler = new ConcurrentTaskScheduler(executor);
					}
					this.scheduler = scheduler;
				}
			}
		}
		return scheduler;
	}

	@Override
	public void start() {
		this.stopped = false;
		this.running = true;
	}

	/**
	 * Cancels every pending run, counting each as skipped, and stops the own scheduler
	 * thread if one was started. Calls deferred from now until the next start are
	 * counted as skipped.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.stopped = true;
		for (PendingRun run : this.pending) {
			if (settle(run)) {
				run.job.recordSkipped();
				logger.warn("Cancelled the deferred run of job '{}' on shutdown after {} deferrals; counted as skipped",
						run.job.name(), run.deferrals());
			}
		}
		synchronized (this) {
			if (this.ownExecutor != null) {
				this.ownExecutor.shutdownNow();
				this.ownExecutor = null;
				this.scheduler = null;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops in the first phase to stop, with the application's schedulers: scheduled
	 * jobs no longer fire by then, and pending runs are settled whether or not the
	 * scheduler they wait on is still running.
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	@Override
	public void destroy() {
		this.guard.removeListener(this);
		if (!this.stopped) {
			stop();
		}
	}

}
