package dev.memoryguard.test;

import java.util.Set;

import org.assertj.core.api.AbstractAssert;

import org.springframework.util.unit.DataSize;

import dev.memoryguard.Sizes;
import dev.memoryguard.job.JobStats;

/**
 * Assertions about one guarded job, created by
 * {@link MemoryGuardAssertions#assertThatJob}. Each fails with one line that names the job
 * and gives its counts: {@code job 'nightly-report' ran 0 times in this test, expected 1
 * (skipped 1, deferred 0, refused 0)}.
 */
public class JobAssert extends AbstractAssert<JobAssert, JobStats> {

	private final String name;

	private final boolean known;

	private final Set<String> knownJobs;

	private final String period;

	JobAssert(String name, JobStats stats, boolean known, Set<String> knownJobs, String period) {
		super(stats, JobAssert.class);
		this.name = name;
		this.known = known;
		this.knownJobs = knownJobs;
		this.period = period;
	}

	/**
	 * Asserts that the job ran exactly {@code times} times.
	 * @param times the expected number of runs
	 * @return this
	 */
	public JobAssert ran(long times) {
		isKnown();
		if (this.actual.runs() != times) {
			fail("ran %d times %s, expected %d (%s)".formatted(this.actual.runs(), this.period, times, others()));
		}
		return this;
	}

	/**
	 * Asserts that at least one call was skipped because memory was short.
	 * @return this
	 */
	public JobAssert wasSkipped() {
		isKnown();
		if (this.actual.skipped() == 0) {
			fail("was not skipped %s (%s)".formatted(this.period, counts()));
		}
		return this;
	}

	/**
	 * Asserts that at least one call was put off until memory recovers.
	 * @return this
	 */
	public JobAssert wasDeferred() {
		isKnown();
		if (this.actual.deferred() == 0) {
			fail("was not deferred %s (%s)".formatted(this.period, counts()));
		}
		return this;
	}

	/**
	 * Asserts that at least one call was refused with a
	 * {@link dev.memoryguard.MemoryPressureException} (the {@code FAIL} policy).
	 * @return this
	 */
	public JobAssert wasRefused() {
		isKnown();
		if (this.actual.failed() == 0) {
			fail("was not refused %s (%s)".formatted(this.period, counts()));
		}
		return this;
	}

	/**
	 * Asserts that no run allocated more than {@code budget} on its thread. Fails when the
	 * job did not run, and when a run's allocation could not be measured (a run on a
	 * virtual thread).
	 * @param budget the most one run may allocate
	 * @return this
	 */
	public JobAssert allocatedAtMost(DataSize budget) {
		isKnown();
		if (this.actual.runs() == 0) {
			fail("did not run %s, so its allocation is unknown (%s)".formatted(this.period, others()));
		}
		else if (this.actual.maxAllocated() < 0) {
			fail("ran %s, but what it allocated could not be measured (a run on a virtual thread, whose allocation the "
				.formatted(this.period) + "JVM does not count); budget " + Budget.format(budget.toBytes()));
		}
		else if (this.actual.maxAllocated() > budget.toBytes()) {
			String which = (this.actual.runs() == 1) ? "in its run"
					: "in its largest of " + this.actual.runs() + " runs";
			fail("allocated " + Sizes.format(this.actual.maxAllocated()) + " " + which + " " + this.period + ", budget "
					+ Budget.format(budget.toBytes()));
		}
		return this;
	}

	private void isKnown() {
		isNotNull();
		if (!this.known) {
			fail("is not known to the guard; known jobs: " + (this.knownJobs.isEmpty() ? "none" : this.knownJobs));
		}
	}

	private void fail(String message) {
		failWithMessage("%s", "job '" + this.name + "' " + message);
	}

	private String counts() {
		return "ran " + this.actual.runs() + ", " + others();
	}

	private String others() {
		return "skipped " + this.actual.skipped() + ", deferred " + this.actual.deferred() + ", refused "
				+ this.actual.failed();
	}

}
