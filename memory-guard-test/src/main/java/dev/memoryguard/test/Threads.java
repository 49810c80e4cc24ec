package dev.memoryguard.test;

/**
 * Whose allocation a {@link MemoryBudget#allocated() budget} counts.
 */
public enum Threads {

	/**
	 * The thread that runs the test method: exact to the allocation on HotSpot, blind to
	 * work the test hands to other threads (executors, schedulers, the common pool).
	 */
	CURRENT,

	/**
	 * Every platform thread of the JVM, the test's own and those it hands work to (and so
	 * the carriers of virtual threads). The test then runs isolated from parallel tests.
	 * Threads that ended during the test count too where the JDK keeps their figures
	 * (Java 21, and Java 17 from update 17.0.11); elsewhere they do not, and the figures
	 * say so.
	 */
	ALL

}
