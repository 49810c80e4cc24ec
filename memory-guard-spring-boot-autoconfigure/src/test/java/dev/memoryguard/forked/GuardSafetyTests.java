package dev.memoryguard.forked;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.memoryguard.testsupport.TestClasspath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves on real JVMs that the guard never makes things worse: no false CRITICAL from
 * garbage when the JVM ignores {@code System.gc()}, and listeners that fail or block
 * stop neither the readings nor the JDK's other GC listeners.
 */
class GuardSafetyTests {

	private static final List<String> WITH_MICROMETER = withMicrometer();

	@Test
	void aFullEdenOfGarbageDoesNotGoCriticalWhenExplicitCollectionsAreDisabled() {
		ForkedJvm.Result result = ForkedJvm.run(GuardSafetyScenario.class, WITH_MICROMETER,
				List.of("-Xmx256m", "-Xmn220m", "-XX:+UseG1GC", "-XX:+DisableExplicitGC"), "eden-garbage");
		Map<String, String> values = result.resultValues();
		assertThat(Double.parseDouble(values.get("used"))).as("premise: the heap in use is past critical%n%s",
				result.output()).isGreaterThanOrEqualTo(0.85);
		assertThat(values.get("quietCollections")).as("premise: no collection while quiet%n%s", result.output())
			.isEqualTo("0");
		assertThat(values.get("disabled")).isEqualTo("true");
		assertThat(values.get("requested")).as("no collection requested of a JVM that ignores them").isEqualTo("0");
		assertThat(values.get("worst")).as(result.output()).isNotEqualTo("CRITICAL");
		assertThat(Double.parseDouble(values.get("highestEstimate"))).isLessThan(0.50);
	}

	@Test
	void listenersThatFailOrBlockStopNeitherReadingsNorGcMetersNorTheLevel() {
		ForkedJvm.Result result = ForkedJvm.run(GuardSafetyScenario.class, WITH_MICROMETER,
				List.of("-Xmx128m", "-XX:+UseG1GC"), "listeners");
		assertThat(result.lines("REACHED")).as(result.output()).containsExactly("REACHED CRITICAL");
		Map<String, String> values = result.resultValues();
		// 4 s at a 100 ms sampling interval, while one listener sleeps and another throws
		assertThat(Integer.parseInt(values.get("readings"))).as(result.output()).isGreaterThanOrEqualTo(20);
		assertThat(Double.parseDouble(values.get("gcPausesDuringBlock"))).as(result.output()).isPositive();
		assertThat(values.get("recovered")).as("pressure() while the blocking listener still sleeps%n%s",
				result.output()).isEqualTo("NORMAL");
		assertThat(result.output()).contains("Memory pressure listener").contains("failed on");
	}

	private static List<String> withMicrometer() {
		List<String> artifacts = new ArrayList<>(TestClasspath.CORE);
		artifacts.addAll(List.of("micrometer-core", "HdrHistogram", "LatencyUtils"));
		return artifacts;
	}

}
