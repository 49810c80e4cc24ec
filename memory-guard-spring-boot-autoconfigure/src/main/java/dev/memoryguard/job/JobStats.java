package dev.memoryguard.job;

import java.time.Duration;

/**
 * Counts and allocation figures of one guarded job since the application started.
 *
 * @param runs calls that ran
 * @param skipped calls that did not run
 * @param deferred calls that were put off
 * @param failed calls refused with an exception
 * @param lastAllocated bytes the last run allocated on its thread, {@code -1} when the JVM
 * could not measure it (a virtual thread)
 * @param maxAllocated most bytes any measured run allocated, {@code -1} when no run could
 * be measured
 * @param lastDuration how long the last run took
 */
public record JobStats(long runs, long skipped, long deferred, long failed, long lastAllocated, long maxAllocated,
		Duration lastDuration) {

	/**
	 * Stats of a job that has not been called yet.
	 */
	public static final JobStats NONE = new JobStats(0, 0, 0, 0, 0, 0, Duration.ZERO);

}
