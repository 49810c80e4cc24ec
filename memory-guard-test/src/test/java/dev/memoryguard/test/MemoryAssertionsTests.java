package dev.memoryguard.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import org.springframework.util.unit.DataSize;

import static dev.memoryguard.test.MemoryAssertions.assertCollectable;
import static dev.memoryguard.test.MemoryAssertions.assertRetainedAtMost;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MemoryAssertions}.
 */
class MemoryAssertionsTests {

	static Report held;

	static final List<byte[]> kept = new ArrayList<>();

	private final Map<String, Report> reports = new HashMap<>();

	@AfterEach
	void release() {
		held = null;
		kept.clear();
	}

	@Test
	void assertCollectablePassesOnAnObjectNothingHolds() {
		this.reports.put("nightly", new Report());
		assertCollectable(this.reports.remove("nightly"));
	}

	@Test
	void assertCollectablePassesOnACreatedObjectNothingHolds() {
		assertCollectable(Report::new);
	}

	@Test
	void assertCollectableFailsWithinItsTimeoutOnAnObjectAStaticFieldHolds() {
		held = new Report();
		assertThatExceptionOfType(AssertionFailedError.class)
			.isThrownBy(() -> assertCollectable(held, Duration.ofMillis(300)))
			.withMessageMatching("Expected the dev\\.memoryguard\\.test\\.MemoryAssertionsTests\\$Report to be "
					+ "collectable, but it was still reachable after \\d+ full collections in \\d+ ms");
	}

	@Test
	void assertCollectableFailsOnACreatedObjectThatIsRegisteredSomewhere() {
		assertThatExceptionOfType(AssertionFailedError.class)
			.isThrownBy(() -> assertCollectable(() -> held = new Report(), Duration.ofMillis(100)))
			.withMessageContaining("MemoryAssertionsTests$Report to be collectable, but it was still reachable");
	}

	@Test
	void assertRetainedAtMostPassesWhenTheActionLeavesOnlyGarbage() {
		assertRetainedAtMost(DataSize.ofMegabytes(2), () -> Allocate.megabytes(20));
	}

	@Test
	void assertRetainedAtMostFailsWhenTheActionKeepsMore() {
		assertThatExceptionOfType(AssertionFailedError.class)
			.isThrownBy(() -> assertRetainedAtMost(DataSize.ofMegabytes(2), () -> {
				for (int i = 0; i < 80; i++) {
					kept.add(new byte[64 * 1024]);
				}
			}))
			.withMessageMatching("Expected to retain at most 2 MB, but retained [45]\\.\\d MB \\(live heap after full "
					+ "collections \\d+\\.\\d MB -> \\d+\\.\\d MB\\)");
	}

	static class Report {

		final byte[] rows = new byte[4096];

	}

}
