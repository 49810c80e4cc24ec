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
 */
public class JobAccounting {

	private static final Logger logger = LoggerFactory.getLogger(JobAccounting.class);

	private final Map<String, Counters> jobs = new ConcurrentHashMap<>();

	private final List<JobOutcomeListener> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Records a run that happened.
	 * @param job the job name
	 * @param allocatedBytes bytes allocated by the running thread, {@code -1} if unknown
	 * @param duration how long it took
	 */
	public void recordRun(String job, long allocatedBytes, Duration duration) {
		Counters counters = counters(job);
		counters.runs.incrementAndGet();
		if (allocatedBytes >= 0) {
			counters.lastAllocated.set(allocatedBytes);
			counters.maxAllocated.accumulateAndGet(allocatedBytes, Math::max);
		}
		counters.lastDurationNanos.set(duration.toNanos());
		notifyListeners(job, JobOutcome.RAN, allocatedBytes, duration);
	}

	/**
	 * Records a call that did not run.
	 * @param job the job name
	 */
	public void recordSkipped(String job) {
		counters(job).skipped.incrementAndGet();
		notifyListeners(job, JobOutcome.SKIPPED, -1, Duration.ZERO);
	}

	/**
	 * Records a call that was put off.
	 * @param job the job name
	 */
	public void recordDeferred(String job) {
		counters(job).deferred.incrementAndGet();
		notifyListeners(job, JobOutcome.DEFERRED, -1, Duration.ZERO);
	}

	/**
	 * Records a call refused with an exception.
	 * @param job the job name
	 */
	public void recordFailed(String job) {
		counters(job).failed.incrementAndGet();
		notifyListeners(job, JobOutcome.FAILED, -1, Duration.ZERO);
	}

	/**
	 * Makes a job known before its first call, so that it is reported with zero counts.
	 * @param job the job name
	 */
	public void register(String job) {
		counters(job);
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

	private Counters counters(String job) {
		return this.jobs.computeIfAbsent(job, (name) -> new Counters());
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

		JobStats toStats() {
			return new JobStats(this.runs.get(), this.skipped.get(), this.deferred.get(), this.failed.get(),
					this.lastAllocated.get(), this.maxAllocated.get(), Duration.ofNanos(this.lastDurationNanos.get()));
		}

	}

}
