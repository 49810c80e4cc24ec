package dev.memoryguard.job;

import java.time.Duration;

/**
 * Callback for each outcome recorded by {@link JobAccounting}, for metrics.
 */
@FunctionalInterface
public interface JobOutcomeListener {

	/**
	 * Called once per recorded outcome.
	 * @param job the job name
	 * @param outcome what became of the call
	 * @param allocatedBytes bytes the run allocated, {@code -1} unless {@code outcome} is
	 * {@link JobOutcome#RAN}
	 * @param duration how long the run took, {@link Duration#ZERO} unless it ran
	 */
	void recorded(String job, JobOutcome outcome, long allocatedBytes, Duration duration);

}
