package dev.memoryguard.forked;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves on a real Serial heap that a guard started after collections ran reads the live
 * heap those collections left, not the heap in use with the garbage allocated since.
 */
class StartupReadingTests {

	private static final Pattern RESULT = Pattern
		.compile("RESULT live=(\\d+) used=(\\d+) collectionsBetween=(\\d+)");

	@Test
	void firstReadingLeavesOutGarbageAllocatedSinceTheLastCollection() {
		// a young generation large enough that 60MB of garbage stays in eden uncollected
		ForkedJvm.Result result = ForkedJvm.run(StartupReading.class,
				List.of("-Xmx256m", "-Xmn160m", "-XX:+UseSerialGC"), "60");
		assertThat(result.lines("RESULT")).as(result.output()).hasSize(1);
		Matcher matcher = RESULT.matcher(result.lines("RESULT").get(0));
		assertThat(matcher.matches()).isTrue();
		long live = Long.parseLong(matcher.group(1));
		long used = Long.parseLong(matcher.group(2));
		assertThat(Long.parseLong(matcher.group(3))).as("collections after the garbage, which would reveal it anyway")
			.isZero();
		assertThat(used - live).as(result.output()).isGreaterThan(50L * 1024 * 1024);
	}

}
