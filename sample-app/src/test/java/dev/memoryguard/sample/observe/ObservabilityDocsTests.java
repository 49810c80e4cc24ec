package dev.memoryguard.sample.observe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the shipped Prometheus alerting rules and Grafana dashboard with
 * {@code promtool}: the rules pass {@code check rules} and their unit tests, and every
 * dashboard query is valid PromQL over metric names of the contract.
 */
class ObservabilityDocsTests {

	private static final Set<String> CONTRACT_METRICS = Set.of("memory_guard_pressure", "memory_guard_heap_usage",
			"memory_guard_heap_live_bytes", "memory_guard_transitions_total", "memory_guard_jobs_total",
			"memory_guard_job_allocated_bytes_count", "memory_guard_job_allocated_bytes_sum",
			"memory_guard_job_allocated_bytes_max", "memory_guard_relief_total",
			"memory_guard_relief_freed_bytes_total", "memory_guard_leak_suspected",
			"memory_guard_heap_exhaustion_seconds", "memory_guard_cache_weighted_size_bytes",
			"memory_guard_cache_max_size_bytes", "memory_guard_container_usage", "memory_guard_container_oom_kills",
			"memory_guard_gc_requested_total", "memory_guard_gc_requested_pause_seconds_sum",
			"memory_guard_gc_requested_pause_seconds_count", "memory_guard_http_shed_total");

	private static final Pattern METRIC = Pattern.compile("memory_guard_[a-z_]+");

	private static final Path DOCS = Path.of("..", "docs");

	@TempDir
	private Path tempDir;

	@Test
	void alertingRulesPassPromtoolChecksAndUnitTests() throws Exception {
		Path rules = DOCS.resolve("prometheus/memory-guard-rules.yml");
		assertThat(metricNames(Files.readString(rules))).isSubsetOf(CONTRACT_METRICS);
		assertPromtool(rules.getParent(), "check", "rules", "memory-guard-rules.yml");
		assertPromtool(rules.getParent(), "test", "rules", "memory-guard-rules.test.yml");
	}

	@Test
	void dashboardQueriesAreValidPromqlOverContractMetrics() throws Exception {
		JsonNode dashboard = JsonMapper.builder().build().readTree(DOCS.resolve("grafana/memory-guard.json").toFile());
		List<String> queries = new ArrayList<>();
		for (JsonNode panel : dashboard.get("panels")) {
			if (panel.has("targets")) {
				panel.get("targets").forEach((target) -> queries.add(target.get("expr").asString()));
			}
		}
		dashboard.get("annotations")
			.get("list")
			.forEach((annotation) -> queries.add(annotation.get("expr").asString()));
		assertThat(queries).hasSizeGreaterThan(10);
		Set<String> used = metricNames(String.join("\n", queries));
		assertThat(used).isSubsetOf(CONTRACT_METRICS)
			.contains("memory_guard_pressure", "memory_guard_heap_usage", "memory_guard_jobs_total",
					"memory_guard_cache_weighted_size_bytes", "memory_guard_heap_exhaustion_seconds",
					"memory_guard_leak_suspected");
		StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
		for (int i = 0; i < queries.size(); i++) {
			String expr = queries.get(i)
				.replace("$__rate_interval", "5m")
				.replace("$job", ".*")
				.replace("$instance", ".*");
			rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
				.append(expr.replace("'", "''")).append("'\n");
		}
		Path file = Files.writeString(this.tempDir.resolve("dashboard-queries.yml"), rules);
		assertPromtool(this.tempDir, "check", "rules", file.getFileName().toString());
	}

	private static Set<String> metricNames(String text) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = METRIC.matcher(text);
		while (matcher.find()) {
			names.add(matcher.group());
		}
		return names;
	}

	private static void assertPromtool(Path directory, String... args) throws IOException, InterruptedException {
		String promtool = PrometheusScrapeTests.promtool();
		assumeTrue(promtool != null, "promtool not found: install the Debian package 'prometheus' to run this check");
		List<String> command = new ArrayList<>(List.of(promtool));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
		assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
	}

}
