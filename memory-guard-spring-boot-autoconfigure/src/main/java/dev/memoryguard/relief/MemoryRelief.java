package dev.memoryguard.relief;

/**
 * Runs every {@link dev.memoryguard.MemoryReliefAction} and reports what they freed.
 */
@FunctionalInterface
public interface MemoryRelief {

	/**
	 * Runs relief now.
	 * @param trigger what asked for it, for the report and the log
	 * @return the outcome
	 */
	ReliefReport relieve(String trigger);

}
