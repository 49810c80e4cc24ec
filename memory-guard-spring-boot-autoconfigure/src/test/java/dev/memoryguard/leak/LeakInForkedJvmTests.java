package dev.memoryguard.leak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leak suspicion and heap dumps in a real JVM with a 64 MB heap and a slow real leak.
 */
class LeakInForkedJvmTests {

	@TempDir
	Path temp;

	@Test
	void slowLeakIsSuspectedWithAForecastBeforeTheOutOfMemoryErrorAndDumpedOnce() throws Exception {
		Path dumps = this.temp.resolve("dumps");
		List<String> output = new CopyOnWriteArrayList<>();
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx64m", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
				LeakingApplication.class.getName(), "--leak.bytes-per-second=1500000", "--leak.max-seconds=55",
				"--memory-guard.sampling.interval=500ms", "--memory-guard.leak.window=20s",
				"--memory-guard.heap-dump.enabled=true", "--memory-guard.heap-dump.directory=" + dumps,
				"--memory-guard.heap-dump.min-interval=1h", "--memory-guard.thresholds.warning=0.5",
				"--memory-guard.thresholds.critical=0.65", "--spring.main.banner-mode=off")
			.redirectErrorStream(true)
			.start();
		Thread reader = new Thread(() -> read(process, output));
		reader.start();
		boolean exited = process.waitFor(90, TimeUnit.SECONDS);
		if (!exited) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		reader.join(Duration.ofSeconds(10).toMillis());
		String log = String.join("\n", output);
		System.out.println(log);
		assertThat(exited).as(log).isTrue();
		assertThat(process.exitValue()).as(log).isEqualTo(3);
		int suspected = indexOf(output, "LEAK_SUSPECTED ");
		int outOfMemory = indexOf(output, "OUT_OF_MEMORY ");
		assertThat(suspected).as(log).isNotNegative().isLessThan(outOfMemory);
		String[] suspicion = output.get(suspected).split(" ");
		assertThat(suspicion[2]).as(log).isNotEqualTo("null");
		Duration forecast = Duration.parse(suspicion[2]);
		long leftMillis = Long.parseLong(output.get(outOfMemory).split(" ")[1]) - Long.parseLong(suspicion[1]);
		assertThat(forecast).as(log).isPositive();
		// the forecast is to 100% of the heap; G1 gives up well before (the guard read about 70% live shortly before)
		assertThat(forecast.toMillis()).as(log).isBetween(leftMillis / 2, leftMillis * 4);
		assertThat(log).contains("Memory leak suspected: live heap grew");
		// both triggers fired (leak suspicion and entering CRITICAL) but only one dump was written
		// a confirming collection may hold back WARNING, so CRITICAL can come straight from NORMAL
		assertThat(log).containsPattern("Memory pressure (NORMAL|WARNING) -> CRITICAL");
		assertThat(log).containsPattern("Heap dump on .* skipped: the last one was written at");
		try (Stream<Path> files = Files.list(dumps)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
				.matches("heap-" + Pattern.quote(HostName.current()) + "-\\d{8}-\\d{6}-\\d+\\.hprof");
		}
	}

	private static int indexOf(List<String> lines, String prefix) {
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith(prefix)) {
				return i;
			}
		}
		return -1;
	}

	private static void read(Process process, List<String> output) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				output.add(line);
			}
		}
		catch (IOException ex) {
			output.add("reading failed: " + ex);
		}
	}

}
