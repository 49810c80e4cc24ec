package dev.memoryguard;

/**
 * How close the JVM is to running out of memory.
 *
 * @see MemoryGuard#pressure()
 */
public enum MemoryPressure {

	/**
	 * Memory is plentiful.
	 */
	NORMAL,

	/**
	 * Memory is getting short: optional work should yield and caches shrink.
	 */
	WARNING,

	/**
	 * Memory is nearly exhausted: only essential work should run.
	 */
	CRITICAL;

	/**
	 * Returns whether this level is the same as or worse than the given one.
	 * @param other the level to compare with
	 * @return {@code true} when this level is at least {@code other}
	 */
	public boolean isAtLeast(MemoryPressure other) {
		return compareTo(other) >= 0;
	}

	/**
	 * Returns the worse of two levels.
	 * @param a one level
	 * @param b another level
	 * @return the more severe of {@code a} and {@code b}
	 */
	public static MemoryPressure worst(MemoryPressure a, MemoryPressure b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

}
