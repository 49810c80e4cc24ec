package dev.memoryguard.job;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.unit.DataSize;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureException;
import dev.memoryguard.MemorySnapshot;
import dev.memoryguard.Sizes;
import dev.memoryguard.annotation.OnPressure;

/**
 * One {@code @MemorySafe} method with its attributes resolved: decides on every call
 * whether it runs, and accounts what happened.
 */
final class GuardedJob {

	private static final Logger logger = LoggerFactory.getLogger(GuardedJob.class);

	private final String name;

	private final OnPressure policy;

	private final MemoryPressure threshold;

	private final DataSize required;

	private final Duration deferDelay;

	private final int maxDeferrals;

	private final boolean returnsFuture;

	private final MemoryGuard guard;

	private final JobAccounting accounting;

	private final Supplier<JobDeferrals> deferrals;

	/** The run waiting for memory, at most one per job. */
	final AtomicReference<@Nullable PendingRun> pending = new AtomicReference<>();

	/** Level at which the last skip was logged; {@code null} once a run was admitted again. */
	private volatile @Nullable MemoryPressure loggedLevel;

	private final AtomicLong notRunSinceLog = new AtomicLong();

	GuardedJob(String name, OnPressure policy, MemoryPressure threshold, DataSize required, Duration deferDelay,
			int maxDeferrals, boolean returnsFuture, MemoryGuard guard, JobAccounting accounting,
			Supplier<JobDeferrals> deferrals) {
		this.name = name;
		this.policy = policy;
		this.threshold = threshold;
		this.required = required;
		this.deferDelay = deferDelay;
		this.maxDeferrals = maxDeferrals;
		this.returnsFuture = returnsFuture;
		this.guard = guard;
		this.accounting = accounting;
		this.deferrals = deferrals;
	}

	@Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		if (admits()) {
			return run(invocation);
		}
		switch (this.policy) {
			case FAIL -> {
				this.accounting.recordFailed(this.name);
				MemorySnapshot snapshot = this.guard.snapshot();
				throw new MemoryPressureException("Job '" + this.name + "' refused: " + describe(snapshot), snapshot,
						this.name);
			}
			case DEFER -> this.deferrals.get().defer(this, invocation);
			default -> skipped("Skipping");
		}
		return nothingToReturn();
	}

	/**
	 * Returns whether a run may start now: the level is below the threshold and the
	 * required headroom is there.
	 */
	boolean admits() {
		if (this.guard.pressure().compareTo(this.threshold) >= 0) {
			return false;
		}
		return this.required.toBytes() == 0 || this.guard.isSafeFor(this.required);
	}

	/**
	 * Returns whether a level is below this job's threshold.
	 */
	boolean isBelowThreshold(MemoryPressure level) {
		return level.compareTo(this.threshold) < 0;
	}

	@Nullable Object run(MethodInvocation invocation) throws Throwable {
		if (this.loggedLevel != null) {
			resumed();
		}
		long allocatedBefore = ThreadAllocation.currentThreadAllocatedBytes();
		long start = System.nanoTime();
		try {
			return invocation.proceed();
		}
		finally {
			this.accounting.recordRun(this.name, ThreadAllocation.allocatedSince(allocatedBefore),
					Duration.ofNanos(System.nanoTime() - start));
		}
	}

	/**
	 * Counts a call that will not run and logs it once per level.
	 */
	void skipped(String verb) {
		this.accounting.recordSkipped(this.name);
		notRun(verb);
	}

	/**
	 * Counts a call that will not run, without logging it.
	 */
	void recordSkipped() {
		this.accounting.recordSkipped(this.name);
	}

	/**
	 * Counts a call that was put off and logs it once per level.
	 */
	void deferred() {
		this.accounting.recordDeferred(this.name);
		notRun("Deferring");
	}

	private void notRun(String verb) {
		long count = this.notRunSinceLog.incrementAndGet();
		MemorySnapshot snapshot = this.guard.snapshot();
		if (this.loggedLevel != snapshot.pressure()) {
			this.loggedLevel = snapshot.pressure();
			logger.warn("{} job '{}' ({} calls not run so far): {}; further calls at this level are counted, not logged",
					verb, this.name, count, describe(snapshot));
		}
	}

	private void resumed() {
		this.loggedLevel = null;
		long count = this.notRunSinceLog.getAndSet(0);
		logger.info("Job '{}' runs again at memory pressure {} after {} calls that did not run", this.name,
				this.guard.pressure(), count);
	}

	@Nullable Object nothingToReturn() {
		return (this.returnsFuture) ? CompletableFuture.completedFuture(null) : null;
	}

	private String describe(MemorySnapshot snapshot) {
		String headroom = (this.required.toBytes() > 0)
				? ", headroom " + Sizes.format(snapshot.headroom()) + " of " + Sizes.format(this.required.toBytes()) + " required"
				: "";
		return "memory pressure " + snapshot.pressure() + " (job threshold " + this.threshold + ")" + headroom + ", "
				+ snapshot;
	}


	String name() {
		return this.name;
	}

	OnPressure policy() {
		return this.policy;
	}

	MemoryPressure threshold() {
		return this.threshold;
	}

	DataSize required() {
		return this.required;
	}

	Duration deferDelay() {
		return this.deferDelay;
	}

	int maxDeferrals() {
		return this.maxDeferrals;
	}

	@Override
	public String toString() {
		return "GuardedJob[" + this.name + ", " + this.policy + " at " + this.threshold + "]";
	}

}
