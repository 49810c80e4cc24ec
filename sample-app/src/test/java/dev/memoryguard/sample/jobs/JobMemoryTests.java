package dev.memoryguard.sample.jobs;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.util.unit.DataSize;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.test.MemoryBudget;
import dev.memoryguard.test.WithMemoryPressure;

import static dev.memoryguard.test.MemoryGuardAssertions.assertThatJob;

/**
 * What the sample's jobs cost and how they behave under pressure, with the
 * {@code memory-guard-test} artifact: a memory budget and simulated pressure.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.jobs.report-interval=1h", "sample.jobs.index-interval=1h" })
class JobMemoryTests {

	@Autowired
	private MemoryGuard guard;

	@Autowired
	private NightlyReportJob report;

	@Autowired
	private SearchIndexRefreshJob index;

	@Test
	@MemoryBudget(allocated = "16MB")
	void nightlyReportStaysInBudget() {
		this.report.buildReport();
		assertThatJob(this.guard, "nightly-report").allocatedAtMost(DataSize.ofMegabytes(16));
	}

	@Test
	@WithMemoryPressure(MemoryPressure.WARNING)
	void indexRefreshIsSkippedFromWarningOn() {
		this.index.refresh();
		assertThatJob(this.guard, "search-index-refresh").wasSkipped().ran(0);
	}

}
