package dev.memoryguard.job;

import java.util.Locale;

/**
 * What became of one call of a guarded job or operation.
 */
public enum JobOutcome {

	/**
	 * The work ran (whether or not it then threw).
	 */
	RAN,

	/**
	 * The work did not run because memory was short.
	 */
	SKIPPED,

	/**
	 * The work was put off until memory recovers.
	 */
	DEFERRED,

	/**
	 * The work was refused with a {@link dev.memoryguard.MemoryPressureException}.
	 */
	FAILED;

	/**
	 * Returns the lower-case name used as the {@code outcome} metric tag.
	 * @return the tag value
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
