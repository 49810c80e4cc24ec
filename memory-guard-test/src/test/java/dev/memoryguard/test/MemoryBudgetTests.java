package dev.memoryguard.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

import dev.memoryguard.test.Samples.Sample;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryBudget}, running sample test classes through the JUnit Platform.
 */
class MemoryBudgetTests {

	@Test
	void testUnderItsAllocationBudgetPasses() {
		EngineExecutionResults results = Samples.run(TenMegabytes.class);
		results.testEvents().assertStatistics((stats) -> stats.succeeded(1).failed(0));
		assertThat(allocated(results, "allocatesTenMegabytes")).isBetween(10L * Allocate.MB, 10L * Allocate.MB + 65536);
	}

	@Test
	void testOverItsAllocationBudgetFailsWithTheFigures() {
		EngineExecutionResults results = Samples.run(EightyMegabytes.class);
		results.testEvents().assertStatistics((stats) -> stats.failed(1));
		assertThat(Samples.failure(results))
			.isEqualTo("nightlyReportStaysInBudget allocated 80.0 MB (test thread), budget 50 MB");
	}

	@Test
	void testKeepingMemoryFailsItsRetentionBudget() {
		EngineExecutionResults results = Samples.run(KeepsFiveMegabytes.class);
		results.testEvents().assertStatistics((stats) -> stats.succeeded(1).failed(1));
		assertThat(Samples.failure(results)).matches("keepsFiveMegabytes retained [45]\\.\\d MB "
				+ "\\(live heap after full collections \\d+\\.\\d MB -> \\d+\\.\\d MB\\), budget 2 MB");
	}

	@Test
	void allocationIsReportedWithinOnePercentAndSixtyFourKilobytes() {
		EngineExecutionResults results = Samples.run(AllocatesExactly.class);
		results.testEvents().assertStatistics((stats) -> stats.succeeded(3).failed(0));
		List<Long> reported = results.allEvents()
			.reportingEntryPublished()
			.map(MemoryBudgetTests::allocatedBytes)
			.toList();
		List<Long> requested = List.of(1024L, (long) Allocate.MB, 100L * Allocate.MB);
		assertThat(reported).hasSize(3);
		for (int i = 0; i < requested.size(); i++) {
			long bytes = requested.get(i);
			assertThat(reported.get(i)).as("reported for %d bytes", bytes)
				.isBetween(bytes - bytes / 100 - 65536, bytes + bytes / 100 + 65536);
		}
	}

	@Test
	void budgetOnAClassAppliesToEachMethodAndAMethodsOwnBudgetWins() {
		EngineExecutionResults results = Samples.run(ClassBudget.class);
		results.testEvents().assertStatistics((stats) -> stats.succeeded(2).failed(1));
		assertThat(Samples.failure(results)).isEqualTo("thirtyMegabytes allocated 30.0 MB (test thread), budget 20 MB");
	}

	@Test
	void allThreadsCountsWorkHandedToOtherThreadsAndNamesTheTopThreads() {
		EngineExecutionResults results = Samples.run(AllThreads.class);
		results.testEvents().assertStatistics((stats) -> stats.succeeded(1).failed(1));
		assertThat(Samples.failure(results)).matches("handsWorkToAnotherThread allocated 40\\.\\d MB "
				+ "\\(all threads\\), budget 20 MB; top threads: report-worker 40\\.0 MB, .*");
		assertThat(allocated(results, "handsWorkToAnotherThread")).isGreaterThanOrEqualTo(40L * Allocate.MB);
		assertThat(allocated(results, "countsOnlyItsOwnThread")).isLessThan(Allocate.MB);
	}

	@Test
	void allThreadsCountsThreadsThatEndedWhereTheJdkKeepsTheirFigures() {
		EngineExecutionResults results = Samples.run(EndedThread.class);
		if (AllThreadsAllocation.countsEndedThreads()) {
			assertThat(Samples.failure(results)).matches("startsAndEndsAThread allocated 40\\.\\d MB "
					+ "\\(all threads\\), budget 20 MB; top threads: .*threads that ended 40\\.0 MB");
		}
		else {
			results.testEvents().assertStatistics((stats) -> stats.succeeded(1));
			assertThat(Samples.entry(results, "startsAndEndsAThread").get("memory.allocated"))
				.endsWith("all threads; threads that ended during the test are not counted on this JDK)");
		}
	}

	@Test
	void parallelTestsAreNotMixedUp() {
		EngineExecutionResults results = Samples.runInParallel(ParallelBudgets.class, IsolatedBudgets.class);
		results.testEvents().assertStatistics((stats) -> stats.succeeded(4).failed(1));
		assertThat(Samples.failure(results)).isEqualTo("sixtyMegabytes allocated 60.0 MB (test thread), budget 50 MB");
		assertThat(allocated(results, "tenMegabytes")).isBetween(10L * Allocate.MB, 10L * Allocate.MB + 65536);
		assertThat(allocated(results, "thirtyMegabytes")).isBetween(30L * Allocate.MB, 30L * Allocate.MB + 65536);
		assertThat(allocated(results, "allThreadsWhileOthersWait")).isLessThan(20L * Allocate.MB);
	}

	@Test
	void invalidBudgetFailsTheTestNamingTheAttributeAndTheFix() {
		EngineExecutionResults results = Samples.run(InvalidBudget.class);
		results.testEvents().assertStatistics((stats) -> stats.failed(2));
		assertThat(Samples.failures(results)).containsExactlyInAnyOrder(
				"Invalid @MemoryBudget on withoutUnit: allocated = \"50 M\" is not a size; write a number and a unit, "
						+ "such as \"512KB\", \"50MB\" or \"1GB\"",
				"Invalid @MemoryBudget on withoutBudget: no budget given; set allocated (for example "
						+ "allocated = \"50MB\") or retained (for example retained = \"2MB\")");
	}

	@Test
	void figuresArePublishedAsReportEntriesAlsoWhenTheTestFails() {
		EngineExecutionResults results = Samples.run(FailingTest.class);
		results.testEvents().assertStatistics((stats) -> stats.failed(1));
		assertThat(Samples.failure(results)).isEqualTo("the test's own failure");
		assertThat(Samples.entry(results, "failsByItself")).containsEntry("memory.allocated.budget", "50 MB")
			.hasEntrySatisfying("memory.allocated",
					(value) -> assertThat(value).matches("\\d+\\.\\d MB \\(\\d+ bytes, test thread\\)"));
	}

	private static long allocated(EngineExecutionResults results, String test) {
		return bytes(Samples.entry(results, test).get("memory.allocated"));
	}

	private static long allocatedBytes(Event event) {
		return bytes(event.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("memory.allocated"));
	}

	private static long bytes(String figure) {
		Matcher matcher = Pattern.compile("\\((\\d+) bytes").matcher(figure);
		assertThat(matcher.find()).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	@Sample
	static class TenMegabytes {

		@Test
		@MemoryBudget(allocated = "50MB")
		void allocatesTenMegabytes() {
			Allocate.megabytes(10);
		}

	}

	@Sample
	static class EightyMegabytes {

		@Test
		@MemoryBudget(allocated = "50MB")
		void nightlyReportStaysInBudget() {
			Allocate.megabytes(80);
		}

	}

	@Sample
	static class KeepsFiveMegabytes {

		static final List<byte[]> kept = new ArrayList<>();

		@Test
		@MemoryBudget(retained = "2MB")
		void keepsFiveMegabytes() {
			// 64 KB arrays: on G1 an array of half a region or more takes whole regions
			for (int i = 0; i < 80; i++) {
				kept.add(new byte[64 * 1024]);
			}
		}

		@Test
		@MemoryBudget(retained = "2MB")
		void clearsWhatItKept() {
			for (int i = 0; i < 80; i++) {
				kept.add(new byte[64 * 1024]);
			}
			kept.clear();
		}

		@AfterAll
		static void release() {
			kept.clear();
		}

	}

	@Sample
	static class AllocatesExactly {

		@ParameterizedTest
		@ValueSource(ints = { 1024, Allocate.MB, 100 * Allocate.MB })
		@MemoryBudget(allocated = "1GB")
		void allocates(int bytes) {
			Allocate.sink = new byte[bytes];
			Allocate.sink = null;
		}

	}


	@MemoryBudget(allocated = "20MB")
	@Sample
	static class ClassBudget {

		@Test
		void fiveMegabytes() {
			Allocate.megabytes(5);
		}

		@Test
		void thirtyMegabytes() {
			Allocate.megabytes(30);
		}

		@Test
		@MemoryBudget(allocated = "40MB")
		void thirtyMegabytesWithItsOwnBudget() {
			Allocate.megabytes(30);
		}

	}

	@Sample
	static class AllThreads {

		static final ExecutorService workers = Executors
			.newSingleThreadExecutor((task) -> new Thread(task, "report-worker"));

		@Test
		@MemoryBudget(allocated = "20MB", threads = Threads.ALL)
		void handsWorkToAnotherThread() throws Exception {
			workers.submit(() -> Allocate.megabytes(40)).get();
		}

		@Test
		@MemoryBudget(allocated = "20MB")
		void countsOnlyItsOwnThread() throws Exception {
			workers.submit(() -> Allocate.megabytes(40)).get();
		}

		@AfterAll
		static void stopWorkers() {
			workers.shutdown();
		}

	}

	@Sample
	static class EndedThread {

		@Test
		@MemoryBudget(allocated = "20MB", threads = Threads.ALL)
		void startsAndEndsAThread() throws InterruptedException {
			Thread worker = new Thread(() -> Allocate.megabytes(40), "short-lived");
			worker.start();
			worker.join();
		}

	}

	/**
	 * Three tests that allocate at the same time: each waits for the others before it
	 * allocates.
	 */
	@Execution(ExecutionMode.CONCURRENT)
	@Sample
	static class ParallelBudgets {

		static final CyclicBarrier together = new CyclicBarrier(3);

		static final AtomicInteger running = new AtomicInteger();

		@Test
		@MemoryBudget(allocated = "50MB")
		void tenMegabytes() throws Exception {
			allocateTogether(10);
		}

		@Test
		@MemoryBudget(allocated = "50MB")
		void thirtyMegabytes() throws Exception {
			allocateTogether(30);
		}

		@Test
		@MemoryBudget(allocated = "50MB")
		void sixtyMegabytes() throws Exception {
			allocateTogether(60);
		}

		private static void allocateTogether(int megabytes) throws Exception {
			running.incrementAndGet();
			try {
				together.await(30, TimeUnit.SECONDS);
				Allocate.megabytes(megabytes);
			}
			finally {
				running.decrementAndGet();
			}
		}

	}

	@Execution(ExecutionMode.CONCURRENT)
	@Sample
	static class IsolatedBudgets {

		@Test
		@MemoryBudget(allocated = "20MB", threads = Threads.ALL)
		void allThreadsWhileOthersWait() {
			assertThat(ParallelBudgets.running).hasValue(0);
			Allocate.megabytes(10);
		}

		@Test
		@MemoryBudget(retained = "2MB")
		void retainedWhileOthersWait() {
			assertThat(ParallelBudgets.running).hasValue(0);
			Allocate.megabytes(10);
		}

	}

	@Sample
	static class InvalidBudget {

		@Test
		@MemoryBudget(allocated = "50 M")
		void withoutUnit() {
		}

		@Test
		@MemoryBudget
		void withoutBudget() {
		}

	}

	@Sample
	static class FailingTest {

		@Test
		@MemoryBudget(allocated = "50MB", retained = "2MB")
		void failsByItself() {
			Allocate.megabytes(1);
			throw new IllegalStateException("the test's own failure");
		}

	}

}
