package dev.memoryguard.leak;

/**
 * Source of the current {@link LeakReport}.
 */
@FunctionalInterface
public interface LeakMonitor {

	/**
	 * Returns the current report.
	 * @return the report
	 */
	LeakReport report();

}
