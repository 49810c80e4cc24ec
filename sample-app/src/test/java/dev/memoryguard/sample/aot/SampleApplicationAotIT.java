package dev.memoryguard.sample.aot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the sample application as {@code spring-boot:process-aot} built it (the
 * {@code verify} phase of this module processes a copy of its classes) with
 * {@code -Dspring.aot.enabled=true}, in a JVM of its own with a small heap and no test
 * probe: it starts from the generated initializer, {@code /actuator/memory} and the
 * dashboard answer, and under the real memory pressure of the demo leak the
 * {@code @MemorySafe} search index refresh is skipped while the JVM survives.
 */
class SampleApplicationAotIT {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static Process process;

	private static Path log;

	private static String base;

	@BeforeAll
	static void start() throws Exception {
		String directory = System.getProperty("aot.directory");
		assumeTrue(directory != null, "runs in the aot-integration-test execution of mvn verify, after process-aot");
		Path aot = Path.of(directory);
		Path tmp = Files.createDirectories(aot.resolve("tmp"));
		log = aot.resolve("sample-app.log");
		String classpath = aot.resolve("classes") + java.io.File.pathSeparator
				+ Files.readString(aot.resolve("classpath.txt")).trim();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx128m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Dspring.aot.enabled=true",
				"-Djava.io.tmpdir=" + tmp, "-cp", classpath, "dev.memoryguard.sample.SampleApplication",
				"--server.port=0", "--sample.jdbc.orders=1000", "--sample.jdbc.report-interval=1h",
				"--sample.jobs.report-interval=1h", "--sample.jobs.index-interval=250ms",
				"--sample.leak.bytes-per-second=8388608"));
		process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (base == null) {
			assertThat(process.isAlive()).as(output()).isTrue();
			assertThat(System.nanoTime()).as("started within 60s:\n" + output()).isLessThan(deadline);
			Matcher port = PORT.matcher(output());
			if (port.find() && output().contains("Started SampleApplication")) {
				base = "http://localhost:" + port.group(1);
			}
			else {
				Thread.sleep(200);
			}
		}
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (process != null) {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void startsFromTheInitializerGeneratedAheadOfTime() throws IOException {
		assertThat(output()).contains("Starting AOT-processed SampleApplication");
	}

	@Test
	void memoryEndpointAnswers() throws Exception {
		JsonNode memory = get("/actuator/memory");
		assertThat(memory.get("pressure").asString()).isIn("NORMAL", "WARNING", "CRITICAL");
		assertThat(memory.get("heap").get("max").asLong()).isBetween(100L << 20, 128L << 20);
		assertThat(memory.get("jobs").has("search-index-refresh")).isTrue();
		assertThat(get("/actuator/memory/heap").get("liveRatio").isNumber()).isTrue();
		assertThat(get("/actuator/memory/history").isArray()).isTrue();
	}

	@Test
	void dashboardServesItsPageAndCharts() throws Exception {
		assertThat(send("/memory-guard/").body()).contains("<script src=\"uplot/uPlot.iife.min.js\">");
		assertThat(send("/memory-guard/uplot/uPlot.iife.min.js").statusCode()).isEqualTo(200);
	}

	@Test
	void guardedJobIsSkippedUnderRealMemoryPressureAndTheJvmSurvives() throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		long skipped = 0;
		while (skipped == 0 && System.nanoTime() < deadline) {
			Thread.sleep(500);
			assertThat(process.isAlive()).as(output()).isTrue();
			skipped = get("/actuator/memory/jobs").get("search-index-refresh").get("skipped").asLong();
		}
		assertThat(skipped).as(output()).isPositive();
		assertThat(output()).contains("Skipping job 'search-index-refresh'").doesNotContain("OutOfMemoryError");
		assertThat(process.isAlive()).isTrue();
	}

	private static JsonNode get(String path) throws Exception {
		HttpResponse<String> response = send(path);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private static HttpResponse<String> send(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static String output() {
		try {
			return Files.readString(log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

}
