package dev.memoryguard.forked;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the guard on a real JVM with a 64MB heap, through the real probe.
 */
class RealJvmPressureTests {

	private static final List<String> SMALL_HEAP = List.of("-Xmx64m", "-XX:+UseG1GC");

	@Test
	void retainedMemoryReachesCriticalBeforeOutOfMemoryAndReleasedMemoryReturnsToNormal() {
		ForkedJvm.Result result = ForkedJvm.run(PressureScenario.class, SMALL_HEAP, "grow-release");
		assertThat(result.output()).as(result.output()).doesNotContain("RESULT oom");
		assertThat(result.lines("REACHED")).as(result.output()).singleElement().asString().startsWith("REACHED CRITICAL");
		assertThat(result.lines("RECOVERED")).as(result.output()).containsExactly("RECOVERED NORMAL");
		assertThat(result.exitCode()).isZero();
	}

	@Test
	void garbageChurnOverAStableLiveSetStaysNormal() {
		ForkedJvm.Result result = ForkedJvm.run(PressureScenario.class, SMALL_HEAP, "churn");
		assertThat(result.lines("WORST")).as(result.output()).singleElement().asString().startsWith("WORST NORMAL");
		assertThat(result.lines("EVENT")).as(result.output()).isEmpty();
	}

	@Test
	void memoryRetainedInHumongousArraysWithoutCollectionsReachesCritical() {
		ForkedJvm.Result result = ForkedJvm.run(PressureScenario.class, SMALL_HEAP, "humongous");
		assertThat(result.lines("REACHED")).as(result.output()).singleElement().asString().startsWith("REACHED CRITICAL");
		assertThat(result.output()).doesNotContain("RESULT oom");
	}

}
