package dev.memoryguard.jdbc;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves on one driver, in one forked {@code -Xmx64m} JVM with a watchdog
 * ({@link StreamCasesMain}), that {@link MemoryAwareJdbc#forEachBatch} streams a million
 * rows that {@code queryForList} cannot hold, and that a failed or stopped stream ends in
 * bounded time: the call returns within the close timeout, the pool has no active
 * connection, the server no open transaction of the application's user, and the next
 * call on the pool works.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractForkedStreamTests {

	// memory-guard.jdbc.close-timeout, the bound of every cleanup
	private static final long CLOSE_TIMEOUT_MS = MemoryAwareJdbc.DEFAULT_CLOSE_TIMEOUT.toMillis();

	private Map<String, Map<String, String>> reports;

	/**
	 * Returns the server and driver under test.
	 * @return the server
	 */
	abstract JdbcServer server();

	@BeforeAll
	void runCases() {
		this.reports = ForkedStreamCases.run(server(), "survive", "early-stop", "handler-oom", "kill", "real-oom",
				"list");
	}

	@Test
	void forEachBatchStreamsAMillionRowsInA64MegabyteHeapInOrderWithoutGaps() {
		assertThat(this.reports.get("survive")).containsEntry("rows", "1000000")
			.containsEntry("inOrder", "true")
			.containsEntry("stoppedEarly", "false")
			.containsEntry("payloadChars", "192000000");
	}

	@Test
	void queryForListOfTheSameRowsRunsOutOfMemoryInTheSameHeap() {
		assertThat(this.reports.get("list")).containsEntry("outOfMemory", "true");
	}

	@Test
	void handlerThrowingOutOfMemoryErrorOnBatchThreeGetsItBackInBoundedTime() {
		Map<String, String> report = this.reports.get("handler-oom");
		assertThat(report).containsEntry("thrown", "java.lang.OutOfMemoryError").containsEntry("same", "true");
		assertCleanedUp(report);
	}

	@Test
	void realOutOfMemoryErrorMidStreamEndsInBoundedTime() {
		Map<String, String> report = this.reports.get("real-oom");
		assertThat(report).containsEntry("thrown", "java.lang.OutOfMemoryError");
		assertThat(Long.parseLong(report.get("keptRows"))).isBetween(1L, 999_999L);
		// timed from the last batch handed over: it includes the collector's struggle before it gives up
		assertCleanedUp(report, CLOSE_TIMEOUT_MS + 20_000);
	}

	@Test
	void earlyStopAfterAThousandRowsReturnsWithoutReadingTheRest() {
		Map<String, String> report = this.reports.get("early-stop");
		assertThat(report).containsEntry("rows", "1000").containsEntry("stoppedEarly", "true");
		// reading the other 999,000 rows would take about a second here, and longer on a network
		assertThat(Long.parseLong(report.get("ms"))).as("milliseconds from the stop to the return").isLessThan(1000);
		if (report.containsKey("bytesSent")) {
			// the rest of the result is 190 MB: the server sent no more than what was already on its way
			assertThat(Long.parseLong(report.get("bytesSent"))).isLessThan(20L * 1024 * 1024);
		}
		assertCleanedUp(report);
	}

	@Test
	void sessionKilledByTheServerMidStreamEndsInBoundedTime() {
		Map<String, String> report = this.reports.get("kill");
		assertThat(report).containsEntry("dataAccess", "true");
		assertCleanedUp(report);
	}

	private static void assertCleanedUp(Map<String, String> report) {
		assertCleanedUp(report, CLOSE_TIMEOUT_MS);
	}

	private static void assertCleanedUp(Map<String, String> report, long boundMs) {
		assertThat(Long.parseLong(report.get("ms"))).as("milliseconds from the failure to the caller: %s", report)
			.isBetween(0L, boundMs);
		assertThat(report).as("after the call").containsEntry("active", "0").containsEntry("open", "0")
			.containsEntry("next", "1000");
	}

}
