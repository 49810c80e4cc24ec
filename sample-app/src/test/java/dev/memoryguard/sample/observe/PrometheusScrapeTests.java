package dev.memoryguard.sample.observe;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.memoryguard.MemoryGuard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Scrapes {@code /actuator/prometheus} of the running sample app and checks it with
 * Prometheus' own {@code promtool check metrics} (Debian package {@code prometheus}).
 * Exit code 1 (a format error) fails; 3 (lint warnings only) is reported and allowed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PrometheusScrapeTests {

	private static final List<String> CONTRACT_METRICS = List.of("\nmemory_guard_pressure ",
			"\nmemory_guard_heap_usage ", "\nmemory_guard_heap_live_bytes ", "\nmemory_guard_transitions_total{",
			"\nmemory_guard_jobs_total{", "\nmemory_guard_job_allocated_bytes_count{",
			"\nmemory_guard_job_allocated_bytes_sum{", "\nmemory_guard_job_allocated_bytes_max{",
			"\nmemory_guard_gc_requested_total ", "\nmemory_guard_gc_requested_pause_seconds_count ",
			"\nmemory_guard_gc_requested_pause_seconds_sum ");

	@LocalServerPort
	private int port;

	@Autowired
	private MemoryGuard guard;

	@TempDir
	private Path tempDir;

	@Test
	void scrapeHasEveryContractMetricAndPassesPromtool() throws Exception {
		this.guard.execute("scrape-test", () -> new byte[64 * 1024]);
		HttpResponse<String> scrape = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/prometheus"))
				.header("Accept", "text/plain;version=0.0.4")
				.timeout(Duration.ofSeconds(20))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(scrape.statusCode()).isEqualTo(200);
		String body = scrape.body();
		for (String metric : CONTRACT_METRICS) {
			assertThat(body).as(metric).contains(metric);
		}
		assertThat(body).contains("# TYPE memory_guard_transitions_total counter")
			.contains("memory_guard_jobs_total{name=\"scrape-test\",outcome=\"ran\"} 1.0")
			.contains("memory_guard_transitions_total{from=\"NORMAL\",to=\"CRITICAL\"} 0.0");
		Path file = Files.writeString(this.tempDir.resolve("scrape.txt"), body);
		String promtool = promtool();
		assumeTrue(promtool != null, "promtool not found: install the Debian package 'prometheus' to run this check");
		Process process = new ProcessBuilder(promtool, "check", "metrics").redirectInput(file.toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
		int exit = process.exitValue();
		if (exit == 3) {
			System.out.println("promtool check metrics reported lint warnings (allowed):\n" + output);
		}
		assertThat(exit).as("promtool check metrics exit code; output:%n%s", output).isIn(0, 3);
		assertThat(output).doesNotContain("memory_guard");
	}

	static String promtool() throws IOException {
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
			Path candidate = Path.of(dir, "promtool");
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

}
