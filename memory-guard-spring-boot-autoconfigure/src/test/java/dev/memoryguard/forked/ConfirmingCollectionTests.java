package dev.memoryguard.forked;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves on a real Serial heap, where old-generation garbage is reclaimed only by a full
 * collection, that released memory is seen through a confirming collection and would not
 * be seen without one while the application allocates nothing. The scenario releases only
 * once the guard has been told of every collection so far and counts the collections that
 * ran after the release.
 */
class ConfirmingCollectionTests {

	@Test
	void releasedMemoryIsSeenThroughAConfirmingCollection() {
		ForkedJvm.Result result = ForkedJvm.run(CollectorScenario.class, List.of("-Xmx256m", "-XX:+UseSerialGC"),
				"quiet-release", "15");
		assertThat(result.lines("RESULT")).as(result.output()).singleElement().asString()
			.startsWith("RESULT reached=CRITICAL level=NORMAL")
			.doesNotContain(" confirmations=0 ");
		Map<String, String> values = result.resultValues();
		long confirmations = Long.parseLong(values.get("confirmationsAfterRelease"));
		assertThat(confirmations).as("confirming collections after the release%n%s", result.output()).isPositive();
		assertThat(Long.parseLong(values.get("collectionsAfterRelease")))
			.as("collections after the release, which must all be confirming ones%n%s", result.output())
			.isLessThanOrEqualTo(confirmations);
		assertThat(result.output()).contains("Confirmed critical memory pressure with a full collection");
	}

	@Test
	void withoutConfirmingCollectionsReleasedMemoryStaysUnseenWhileNothingIsAllocated() {
		ForkedJvm.Result result = ForkedJvm.run(CollectorScenario.class,
				List.of("-Xmx256m", "-XX:+UseSerialGC", "-Dconfirm-with-gc=false"), "quiet-release", "10");
		assertThat(result.resultValues().get("collectionsAfterRelease"))
			.as("premise of this control: no collection after the release (one would reveal it without the guard)%n%s",
					result.output())
			.isEqualTo("0");
		// without confirmations the heap in use (eden's garbage with it) is never taken for
		// the live heap: the part of the live set that sits in eden while the application is
		// quiet goes unseen, so the level stops at WARNING, and the release goes unseen too
		assertThat(result.lines("RESULT")).as(result.output())
			.containsExactly("RESULT reached=WARNING level=WARNING normalAfter=-1 confirmations=0"
					+ " collectionsAfterRelease=0 confirmationsAfterRelease=0");
	}

}
