package dev.memoryguard.job;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-job accounting of guarded runs: how often each job ran, was skipped, deferred or
 * refused, and what its runs allocated.
 * <p>
 * Names are meant to be a fixed set (the {@code @MemorySafe} jobs, the operations passed
 * to {@code MemoryGuard.execute}): beyond {@value #MAX_NAMES} of them, calls under new
 * names are counted under {@value #OVERFLOW}, with one warning, so that a name built from
 * data cannot grow the table and the meters' tags without limit.
 */
public class JobAccounting {

	/**
	 * Most job names accounted separately.
	 */
	public static final int MAX_NAMES = 500;

	/**
	 * The name calls under further names are accounted under.
	 */
	public static final String OVERFLOW = "(other)";

	private static final Logger logger = LoggerFactory.getLogger(JobAccounting.class);

	private final int maxNames;

	private volatile boolean overflowLogged;

	private final Map<String, Counters> jobs = new ConcurrentHashMap<>();

	private final List<JobOutcomeListener> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Creates an accounting of at most {@value #MAX_NAMES} names.
	 */
	public JobAccounting() {
		this(MAX_NAMES);
	}

	JobAccounting(int maxNames) {
		this.maxNames = maxNames;
	}

	/**
	 * Records a run that happened.
	 * @param job the job name
	 * @param allocatedBytes bytes allocated by the running thread, {@code -1} if unknown
	 * @param duration how long it took
	 */
	public void recordRun(String job, long allocatedBytes, Duration duration) {
		String name = accountedName(job);
		Counters counters = counters(name);
		counters.runs.incrementAndGet();
		counters.lastAllocated.set(Math.max(-1, allocatedBytes));
		if (allocatedBytes >= 0) {
			counters.maxAllocated.accumulateAndGet(allocatedBytes, Math::max);
			counters.measured = true;
		}
		counters.lastDurationNanos.set(duration.toNanos());
		notifyListeners(name, JobOutcome.RAN, allocatedBytes, duration);
	}

	/**
	 * Records a call that did not run.
	 * @param job the job name
	 */
	public void recordSkipped(String job) {
		String name = accountedName(job);
		counters(name).skipped.incrementAndGet();
		notifyListeners(name, JobOutcome.SKIPPED, -1, Duration.ZERO);
	}

	/**
	 * Records a call that was put off.
	 * @param job the job name
	 */
	public void recordDeferred(String job) {
		String name = accountedName(job);
		counters(name).deferred.incrementAndGet();
		notifyListeners(name, JobOutcome.DEFERRED, -1, Duration.ZERO);
	}

	/**
	 * Records a call refused with an exception.
	 * @param job the job name
	 */
	public void recordFailed(String job) {
		String name = accountedName(job);
		counters(name).failed.incrementAndGet();
		notifyListeners(name, JobOutcome.FAILED, -1, Duration.ZERO);
	}

	/**
	 * Makes a job known before its first call, so that it is reported with zero counts.
	 * @param job the job name
	 */
	public void register(String job) {
		counters(accountedName(job));
	}

	/**
	 * Returns the stats of one job.
	 * @param job the job name
	 * @return its stats, {@link JobStats#NONE} when it is unknown
	 */
	public JobStats stats(String job) {
		Counters counters = this.jobs.get(job);
		return (counters != null) ? counters.toStats() : JobStats.NONE;
	}

	/**
	 * Returns the stats of every known job, by name.
	 * @return an unmodifiable sorted map of job name to stats
	 */
	public Map<String, JobStats> stats() {
		Map<String, JobStats> result = new TreeMap<>();
		this.jobs.forEach((name, counters) -> result.put(name, counters.toStats()));
		return Collections.unmodifiableMap(result);
	}

	/**
	 * Adds a listener called for every recorded outcome.
	 * @param listener the listener
	 */
	public void addListener(JobOutcomeListener listener) {
		this.listeners.add(listener);
	}

	private Counters counters(String name) {
		return this.jobs.computeIfAbsent(name, (key) -> new Counters());
	}

	private String accountedName(String job) {
		if (this.jobs.containsKey(job) || this.jobs.size() < this.maxNames) {
			return job;
		}
		if (!this.overflowLogged) {
			this.overflowLogged = true;
			logger.warn("More than {} guarded job names: '{}' and every later new name are accounted as '{}'. "
					+ "Names passed to MemoryGuard.execute and @MemorySafe are meant to be a fixed set; one built "
					+ "from data (an id, a path) grows the accounting and the meters' tags without limit",
					this.maxNames, job, OVERFLOW);
		}
		return OVERFLOW;
	}

	private void notifyListeners(String job, JobOutcome outcome, long allocated, Duration duration) {
		for (JobOutcomeListener listener : this.listeners) {
			try {
				listener.recorded(job, outcome, allocated, duration);
			}
			catch (RuntimeException ex) {
				logger.warn("Job outcome listener {} failed for job '{}'", listener, job, ex);
			}
		}
	}

	private static final class Counters {

		final AtomicLong runs = new AtomicLong();

		final AtomicLong skipped = new AtomicLong();

		final AtomicLong deferred = new AtomicLong();

		final AtomicLong failed = new AtomicLong();

		final AtomicLong lastAllocated = new AtomicLong();

		final AtomicLong maxAllocated = new AtomicLong();

		final AtomicLong lastDurationNanos = new AtomicLong();

		volatile boolean measured;

		JobStats toStats() {
			long runs = this.runs.get();
			// runs none of which could be measured (virtual threads) have no maximum either
			long max = (runs > 0 && !this.measured) ? -1 : this.maxAllocated.get();
			return new JobStats(runs, this.skipped.get(), this.deferred.get(), this.failed.get(),
					this.lastAllocated.get(), max, Duration.ofNanos(this.lastDurationNanos.get()));
		}

	}

}
