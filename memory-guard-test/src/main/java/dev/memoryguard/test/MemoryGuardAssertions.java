package dev.memoryguard.test;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.job.JobStats;

/**
 * Entry point for assertions about the guard's jobs: what a {@code @MemorySafe} job or a
 * {@link MemoryGuard#execute} operation did and what its runs allocated, from the same
 * accounting as {@code /actuator/memory/jobs}.
 * <pre class="code">
 * import static dev.memoryguard.test.MemoryGuardAssertions.assertThatJob;
 *
 * this.reportJob.run();
 * assertThatJob(this.guard, "nightly-report").ran(1).allocatedAtMost(DataSize.ofMegabytes(64));
 * </pre>
 */
public final class MemoryGuardAssertions {

	private MemoryGuardAssertions() {
	}

	/**
	 * Returns assertions about the job called {@code name}. In a Spring test (an
	 * application context loaded by Spring's TestContext framework) the figures count
	 * what happened while the current test method ran, on any thread: runs of earlier
	 * tests that share the cached context do not count. Elsewhere they are the guard's
	 * totals since it was created.
	 * @param guard the guard
	 * @param name the job's name ({@code @MemorySafe(name = ...)}, or
	 * {@code SimpleClassName.methodName} by default)
	 * @return the assertions
	 */
	public static JobAssert assertThatJob(MemoryGuard guard, String name) {
		JobWindows.Window window = JobWindows.current(guard);
		JobStats stats = (window != null) ? window.stats(name) : guard.jobs().stats(name);
		boolean known = guard.jobs().stats().containsKey(name);
		return new JobAssert(name, stats, known, guard.jobs().stats().keySet(),
				(window != null) ? "in this test" : "since the guard started");
	}

}
