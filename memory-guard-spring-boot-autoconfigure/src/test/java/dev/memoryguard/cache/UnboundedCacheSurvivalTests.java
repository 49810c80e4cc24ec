package dev.memoryguard.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.memoryguard.testsupport.TestClasspath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link UnboundedCacheApplication} in a forked JVM with {@code -Xmx128m}: an
 * unbounded cache of each kind an application already has, fed eight times what the heap
 * holds, is emptied every time memory-guard enters CRITICAL and the application lives on;
 * the same application without memory-guard runs out of memory.
 */
class UnboundedCacheSurvivalTests {

	private static final List<String> CLASSPATH = classpath();

	private static final Pattern RESULT = Pattern
		.compile("RESULT fed=(\\d+) heap=(\\d+) emptied=(\\d+) critical=(\\d+)");

	/**
	 * Megabytes fed a second, 8 x 128MB in about 23s: a busy service, but slow enough that
	 * the guard's readings, which arrive 30-300 ms after a collection (later on a loaded
	 * machine), see each rise before the heap is full. At 70 MB/s the 32 MB between the
	 * critical threshold and a full heap took less than 0.5 s to fill, and a CI machine
	 * running both JDKs' suites at once ran out of memory in one run of 20.
	 */
	private static final String FEED_RATE = "45";

	@TempDir
	Path output;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "map", "jcache" })
	void unboundedCacheFedEightTimesTheHeapIsEmptiedAtEveryCriticalAndTheApplicationLivesOn(String kind)
			throws Exception {
		Run run = fork(kind, "guarded");
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.output()).doesNotContain("OutOfMemoryError");
		Matcher result = RESULT.matcher(run.output());
		assertThat(result.find()).as(run.output()).isTrue();
		long fed = Long.parseLong(result.group(1));
		long heap = Long.parseLong(result.group(2));
		int emptied = Integer.parseInt(result.group(3));
		int critical = Integer.parseInt(result.group(4));
		assertThat(fed).isGreaterThanOrEqualTo(8 * heap);
		// the cache never holds a whole heap: fed eight heaps, it was emptied at least seven times
		assertThat(critical).as("CRITICAL entered").isGreaterThanOrEqualTo(7);
		// relief on the first CRITICAL (at most once a minute) may empty it once more
		assertThat(emptied).as("times the application found its cache emptied").isBetween(7, critical + 1);
		assertThat(run.lines("Memory pressure CRITICAL: 1 guarded caches"))
			.as("emptied on entering CRITICAL, and logged")
			.hasSizeGreaterThanOrEqualTo(7)
			.allMatch((line) -> line.contains("emptied"));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "map", "jcache" })
	void sameApplicationWithoutMemoryGuardRunsOutOfMemory(String kind) throws Exception {
		Run run = fork(kind, "unguarded");
		assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
		assertThat(run.output()).contains("java.lang.OutOfMemoryError").doesNotContain("RESULT");
	}

	private Run fork(String kind, String mode) throws IOException, InterruptedException {
		Path log = this.output.resolve(kind + "-" + mode + ".log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
				"-cp", TestClasspath.only(CLASSPATH), UnboundedCacheApplication.class.getName(), kind, mode, FEED_RATE))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!process.waitFor(90, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			throw new AssertionError("forked JVM did not finish in 90s:\n" + Files.readString(log));
		}
		return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
	}

	private static List<String> classpath() {
		List<String> classpath = new ArrayList<>(TestClasspath.CORE);
		classpath.addAll(List.of("commons-logging", "spring-boot", "spring-boot-autoconfigure", "spring-boot-cache",
				"spring-context-support", "caffeine", "jcache", "cache-api", "config", "jakarta.inject-api"));
		return classpath;
	}

	private record Run(int exitCode, String output) {

		List<String> lines(String containing) {
			return this.output.lines().filter((line) -> line.contains(containing)).toList();
		}

	}

}
