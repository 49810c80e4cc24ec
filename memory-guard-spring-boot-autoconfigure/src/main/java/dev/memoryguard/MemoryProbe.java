package dev.memoryguard;

/**
 * Source of {@link MemoryReading readings} for a {@link MemoryGuard}. The default probe
 * reads the running JVM; tests (and applications with other signals) supply their own
 * to drive the pressure level deterministically.
 *
 * @see JvmMemoryProbe
 * @see TestMemoryProbe
 */
@FunctionalInterface
public interface MemoryProbe {

	/**
	 * Returns a fresh reading. Called on the guard's sampler thread and on whatever
	 * thread reported new data through the callback given to {@link #start(Runnable)};
	 * never on an application thread calling {@link MemoryGuard#pressure()}.
	 * @return the current reading
	 */
	MemoryReading read();

	/**
	 * Starts the probe. A probe that learns of new data between samples (for example
	 * from GC notifications) calls {@code readingAvailable}, and the guard re-reads at
	 * once.
	 * @param readingAvailable callback that makes the guard take a fresh reading now
	 */
	default void start(Runnable readingAvailable) {
	}

	/**
	 * Stops the probe, releasing any listener it registered.
	 */
	default void stop() {
	}

	/**
	 * Returns a short description of where the readings come from, for log lines and
	 * the actuator endpoint.
	 * @return the description
	 */
	default String describe() {
		return getClass().getSimpleName();
	}

}
