package dev.memoryguard.test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.util.unit.DataSize;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressureException;
import dev.memoryguard.MemoryThresholds;

import static dev.memoryguard.test.MemoryGuardAssertions.assertThatJob;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MemoryGuardAssertions} on a guard outside a Spring test, where the
 * figures are the guard's totals.
 */
class MemoryGuardAssertionsTests {

	private final ManualMemoryProbe probe = new ManualMemoryProbe();

	private MemoryGuard guard;

	@BeforeEach
	void startGuard() {
		this.guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofHours(1));
		this.guard.start();
		this.guard.jobs().register("import");
	}

	@AfterEach
	void stopGuard() {
		this.guard.stop();
	}

	@Test
	void jobThatRanWithinItsBudgetPasses() {
		this.guard.execute("import", () -> new byte[512 * 1024]);
		assertThatJob(this.guard, "import").ran(1).allocatedAtMost(DataSize.ofMegabytes(1));
	}

	@Test
	void jobOverItsBudgetFailsWithTheFigures() {
		this.guard.execute("import", () -> new byte[2 * 1024 * 1024]);
		this.guard.execute("import", () -> new byte[1024]);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThatJob(this.guard, "import").allocatedAtMost(DataSize.ofMegabytes(1)))
			.withMessage("job 'import' allocated 2.0 MB in its largest of 2 runs since the guard started, budget 1 MB");
	}

	@Test
	void wrongRunCountFailsWithTheOtherCounts() {
		this.probe.setLiveRatio(0.95);
		assertThatExceptionOfType(MemoryPressureException.class)
			.isThrownBy(() -> this.guard.execute("import", () -> "never"));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThatJob(this.guard, "import").ran(1))
			.withMessage("job 'import' ran 0 times since the guard started, expected 1 "
					+ "(skipped 0, deferred 0, refused 1)");
		assertThatJob(this.guard, "import").wasRefused().ran(0);
	}

	@Test
	void jobThatWasNotSkippedFailsWasSkipped() {
		this.guard.execute("import", () -> "done");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThatJob(this.guard, "import").wasSkipped())
			.withMessage("job 'import' was not skipped since the guard started "
					+ "(ran 1, skipped 0, deferred 0, refused 0)");
	}

	@Test
	void jobThatDidNotRunHasNoAllocationToCheck() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThatJob(this.guard, "import").allocatedAtMost(DataSize.ofMegabytes(1)))
			.withMessage("job 'import' did not run since the guard started, so its allocation is unknown "
					+ "(skipped 0, deferred 0, refused 0)");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void jobRunOnAVirtualThreadHasNoAllocationToCheck() throws Exception {
		// Executors.newVirtualThreadPerTaskExecutor() exists from Java 21; the project is compiled for 17
		ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
			.invoke(null);
		try {
			virtual.submit(() -> this.guard.execute("import", () -> new byte[1024])).get();
		}
		finally {
			virtual.shutdown();
		}
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThatJob(this.guard, "import").ran(1).allocatedAtMost(DataSize.ofMegabytes(1)))
			.withMessage("job 'import' ran since the guard started, but what it allocated could not be measured "
					+ "(a run on a virtual thread, whose allocation the JVM does not count); budget 1 MB");
	}

	@Test
	void unknownJobFailsNamingTheKnownOnes() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThatJob(this.guard, "imports").ran(0))
			.withMessage("job 'imports' is not known to the guard; known jobs: [import]");
	}

}
