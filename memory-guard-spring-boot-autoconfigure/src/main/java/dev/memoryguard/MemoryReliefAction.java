package dev.memoryguard;

/**
 * Something the application can do to free memory: drop a cache, trim a buffer pool,
 * close idle sessions. Every bean of this type runs when relief is triggered (on
 * entering {@link MemoryPressure#CRITICAL} and on {@code POST /actuator/memory/relieve}).
 * A failing action is logged and never stops the others.
 */
@FunctionalInterface
public interface MemoryReliefAction {

	/**
	 * Frees what it can.
	 * @param pressure the level at the time relief was triggered
	 * @return an estimate of the bytes freed, or {@code 0} when unknown
	 */
	long relieve(MemoryPressure pressure);

	/**
	 * Returns the name reported for this action.
	 * @return the name, by default the simple class name
	 */
	default String name() {
		return getClass().getSimpleName();
	}

}
