package dev.memoryguard.forked;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves on a real Serial heap, where old-generation garbage is reclaimed only by a full
 * collection, that released memory is seen through a confirming collection and would not
 * be seen without one while the application allocates nothing.
 */
class ConfirmingCollectionTests {

	@Test
	void releasedMemoryIsSeenThroughAConfirmingCollection() {
		ForkedJvm.Result result = ForkedJvm.run(CollectorScenario.class, List.of("-Xmx256m", "-XX:+UseSerialGC"),
				"quiet-release", "15");
		assertThat(result.lines("RESULT")).as(result.output()).singleElement().asString()
			.startsWith("RESULT reached=CRITICAL level=NORMAL")
			.doesNotContain("confirmations=0");
		assertThat(result.output()).contains("Confirmed critical memory pressure with a full collection");
	}

	@Test
	void withoutConfirmingCollectionsReleasedMemoryStaysUnseenWhileNothingIsAllocated() {
		ForkedJvm.Result result = ForkedJvm.run(CollectorScenario.class,
				List.of("-Xmx256m", "-XX:+UseSerialGC", "-Dconfirm-with-gc=false"), "quiet-release", "10");
		assertThat(result.lines("RESULT")).as(result.output())
			.containsExactly("RESULT reached=CRITICAL level=CRITICAL normalAfter=-1 confirmations=0");
	}

}
