package dev.memoryguard.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link HeapHoldingApplication} in a forked JVM with {@code -Xmx96m}: the
 * {@code @MemorySafe} report job is skipped while the rest of the application holds the
 * heap and the JVM survives; the same job without the annotation runs the JVM out of
 * memory.
 */
class MemorySafeForkedJvmTests {

	private static final Pattern RESULT = Pattern.compile("RESULT runs=(\\d+) skipped=(\\d+)");

	@TempDir
	Path output;

	@Test
	void guardedJobIsSkippedWhileTheHeapIsHeldAndNoOutOfMemoryErrorHappens() throws Exception {
		Run run = fork("guarded");
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.output()).doesNotContain("OutOfMemoryError");
		Matcher result = RESULT.matcher(run.output());
		assertThat(result.find()).as(run.output()).isTrue();
		assertThat(Long.parseLong(result.group(1))).as("runs").isZero();
		assertThat(Long.parseLong(result.group(2))).as("skipped").isGreaterThanOrEqualTo(5);
		assertThat(run.output()).contains("Skipping job 'report'");
	}

	@Test
	void sameJobWithoutTheAnnotationRunsOutOfMemory() throws Exception {
		Run run = fork("unguarded");
		assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
		assertThat(run.output()).contains("java.lang.OutOfMemoryError").doesNotContain("RESULT");
	}

	private Run fork(String mode) throws IOException, InterruptedException {
		Path log = this.output.resolve(mode + ".log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx96m", "-XX:+UseG1GC",
				"-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
				HeapHoldingApplication.class.getName(), mode))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Process process = builder.start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			throw new AssertionError("forked JVM did not finish in 60s:\n" + Files.readString(log));
		}
		return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
	}

	private record Run(int exitCode, String output) {
	}

}
