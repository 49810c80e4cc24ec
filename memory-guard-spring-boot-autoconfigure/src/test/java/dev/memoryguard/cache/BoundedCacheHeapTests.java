package dev.memoryguard.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a byte-bounded guarded cache keeps a small heap alive: a forked JVM with
 * {@code -Xmx96m} fills a cache bounded at 24MB with 200MB worth of values.
 */
class BoundedCacheHeapTests {

	@Test
	void cacheBoundedAt24MbNeverExhaustsA96MbHeapAndRetainsAboutItsBound() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx96m", "-XX:+UseG1GC", "-cp",
				System.getProperty("java.class.path"), BoundedCacheHeapMain.class.getName());
		builder.redirectErrorStream(true);
		Process process = builder.start();
		boolean exited = process.waitFor(60, TimeUnit.SECONDS);
		if (!exited) {
			process.destroyForcibly();
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		System.out.println(output);
		assertThat(exited).as(output).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		Map<String, Long> figures = figures(output);
		long bound = figures.get("bound");
		assertThat(figures.get("written")).isGreaterThanOrEqualTo(200L * 1024 * 1024);
		assertThat(figures.get("weighted")).isLessThanOrEqualTo(bound).isGreaterThan(bound * 8 / 10);
		// the estimate is within 20% of the real size: so is what the cache retains
		assertThat(figures.get("retained")).isLessThan(bound * 12 / 10).isGreaterThan(bound * 7 / 10);
	}

	private static Map<String, Long> figures(String output) throws IOException {
		String line = output.lines()
			.filter((candidate) -> candidate.startsWith("written="))
			.findFirst()
			.orElseThrow(() -> new IOException("No figures in: " + output));
		Map<String, Long> figures = new HashMap<>();
		for (String pair : List.of(line.split(" "))) {
			String[] parts = pair.split("=");
			figures.put(parts[0], Long.parseLong(parts[1]));
		}
		return figures;
	}

}
