package dev.memoryguard.annotation;

/**
 * What a {@link MemorySafe @MemorySafe} method does when memory is short.
 */
public enum OnPressure {

	/**
	 * Use the application's default, {@code memory-guard.jobs.on-pressure}.
	 */
	DEFAULT,

	/**
	 * Do not run. Counted as skipped and logged once per pressure episode.
	 */
	SKIP,

	/**
	 * Do not run now: run once memory is back below the threshold, or after the defer
	 * delay, re-checked each time, at most the maximum number of deferrals. Deferrals of
	 * one job coalesce into one pending run.
	 */
	DEFER,

	/**
	 * Throw a {@link dev.memoryguard.MemoryPressureException}.
	 */
	FAIL

}
