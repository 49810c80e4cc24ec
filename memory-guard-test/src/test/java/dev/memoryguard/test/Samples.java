package dev.memoryguard.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs sample test classes through the JUnit Platform, the way a build runs a user's
 * tests, and reads what became of them.
 */
final class Samples {

	private static final String ENABLED = "dev.memoryguard.test.samples";

	private Samples() {
	}

	static EngineExecutionResults run(Class<?>... samples) {
		return kit(samples).execute();
	}

	static EngineExecutionResults runInParallel(Class<?>... samples) {
		return kit(samples).configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
			.configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
			.configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
			.configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
			.configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
			.execute();
	}

	private static EngineTestKit.Builder kit(Class<?>... samples) {
		DiscoverySelector[] selectors = Arrays.stream(samples)
			.map(DiscoverySelectors::selectClass)
			.toArray(DiscoverySelector[]::new);
		return EngineTestKit.engine("junit-jupiter").selectors(selectors).configurationParameter(ENABLED, "true");
	}

	/**
	 * Returns the failure messages of the tests that failed.
	 */
	static List<String> failures(EngineExecutionResults results) {
		return results.testEvents()
			.failed()
			.stream()
			.map((event) -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
			.map(Throwable::getMessage)
			.toList();
	}

	/**
	 * Returns the failure message of the one test that failed.
	 */
	static String failure(EngineExecutionResults results) {
		List<String> failures = failures(results);
		assertThat(failures).hasSize(1);
		return failures.get(0);
	}

	/**
	 * Returns the report entry a test published; {@code test} is the start of its
	 * display name.
	 */
	static Map<String, String> entry(EngineExecutionResults results, String test) {
		return results.allEvents()
			.reportingEntryPublished()
			.filter((event) -> event.getTestDescriptor().getDisplayName().startsWith(test))
			.map((event) -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
			.findFirst()
			.orElseThrow();
	}

	/**
	 * Marks a sample test class: it runs only through {@link Samples}, never on its own
	 * in the build (some of its tests are meant to fail).
	 */
	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@ExtendWith(OnlyThroughSamples.class)
	@interface Sample {

	}

	static final class OnlyThroughSamples implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			return context.getConfigurationParameter(ENABLED).isPresent()
					? ConditionEvaluationResult.enabled("run as a sample")
					: ConditionEvaluationResult.disabled("a sample, run by the tests that use it");
		}

	}

}
