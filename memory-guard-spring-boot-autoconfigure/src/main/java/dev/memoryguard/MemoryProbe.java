package dev.memoryguard;

/**
 * Source of {@link MemoryReading readings} for a {@link MemoryGuard}. The default probe
 * reads the running JVM; tests (and applications with other signals) supply their own
 * to drive the pressure level deterministically.
 *
 * @see JvmMemoryProbe
 * @see ManualMemoryProbe
 */
@FunctionalInterface
public interface MemoryProbe {

	/**
	 * Returns a fresh reading. Called on the guard's own thread, and on a thread that
	 * calls {@link MemoryGuard#refresh()}; never on an application thread calling
	 * {@link MemoryGuard#pressure()}.
	 * @return the current reading
	 */
	MemoryReading read();

	/**
	 * Starts the probe. A probe that learns of new data between samples (for example
	 * from GC notifications) calls {@code readingAvailable}: the guard then takes a fresh
	 * reading at once on its own thread (or on the calling one, for a
	 * {@link #isSynchronous() synchronous} probe). The callback never throws and, for an
	 * asynchronous probe, does no more than wake the guard, so that it may be called from
	 * threads that must not be held up, such as the JDK's GC notification thread.
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
	 * Returns whether a reading announced through the callback of
	 * {@link #start(Runnable)} is applied before the callback returns: the reading taken,
	 * the level changed and every listener called (or given up on after its timeout).
	 * Probes driven by hand in tests are; probes that announce from threads the guard must
	 * not hold up are not.
	 * @return {@code true} for a probe driven by hand
	 */
	default boolean isSynchronous() {
		return false;
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
