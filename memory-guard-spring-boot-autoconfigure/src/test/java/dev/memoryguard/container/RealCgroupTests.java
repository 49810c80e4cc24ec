package dev.memoryguard.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import dev.memoryguard.testsupport.TestCgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proves the container signal in real memory cgroups (cgroup v1, as root): a forked
 * application ({@link ContainerScenarioApplication}) runs inside a child of this
 * process's memory cgroup with a memory limit, in the nested view (a systemd unit, a CI
 * runner) or the Docker view. The scenarios run side by side: each spends most of its
 * time waiting.
 */
@Execution(ExecutionMode.CONCURRENT)
class RealCgroupTests {

	private static final long MB = 1024 * 1024;

	private static final Pattern RUN = Pattern.compile("^RUN (\\d+) ", Pattern.MULTILINE);

	@TempDir
	Path temp;

	@BeforeAll
	static void cgroupsAreWritable() {
		assumeTrue(TestCgroup.unavailable().isEmpty(), () -> "Skipped: " + TestCgroup.unavailable().orElse(""));
	}

	/**
	 * Off-heap growth of 20 MB/s from a {@code @MemorySafe} job against 320 MiB, with a
	 * relief action that frees it, nested: the guard finds the limit, the job yields at
	 * CRITICAL, relief runs again while CRITICAL lasts, and the job keeps running to the end.
	 */
	@Test
	void offHeapGrowthIsStoppedBeforeTheKernelKillsTheProcessAndTheJobKeepsRunning() throws Exception {
		try (TestCgroup cgroup = TestCgroup.create("grow", 320 * MB)) {
			Forked run = fork(cgroup.nested(java("-Xmx96m", "grow", "100")), 160);
			assertThat(run.exitCode()).as(run.output()).isZero();
			assertThat(cgroup.oomKills()).as(run.output()).isZero();
			assertThat(run.line("READY")).contains("limit=" + 320 * MB, "path=" + cgroup.path(), "version=1");
			assertThat(run.output()).as(run.output()).contains("LEVEL", "->CRITICAL", "RELIEF");
			long start = Long.parseLong(run.line("READY").split(" ")[1]);
			List<Long> runs = runTimes(run.output());
			assertThat(runs).as(run.output()).anyMatch((at) -> at - start >= 60_000);
			assertThat(run.lines("RELIEF")).as(run.output()).hasSizeGreaterThanOrEqualTo(2);
		}
	}

	/**
	 * The same application with the guard switched off is killed by the kernel: the
	 * scenario has teeth.
	 */
	@Test
	void offHeapGrowthWithoutTheGuardIsKilledByTheKernel() throws Exception {
		try (TestCgroup cgroup = TestCgroup.create("grow-unguarded", 320 * MB)) {
			Forked run = fork(cgroup.nested(java("-Xmx96m", "grow", "100", "--memory-guard.enabled=false")), 160);
			assertThat(run.exitCode()).as(run.output()).isEqualTo(137);
			assertThat(cgroup.oomKills()).isPositive();
			assertThat(run.output()).doesNotContain("RESULT");
		}
	}

	/**
	 * An idle application whose heap is 80% of a 2 GiB limit, committed and touched up
	 * front, in the Docker view: the process's RSS is near the limit (the old signal read
	 * 0.90 and sat at WARNING for good), but nothing outside the heap grows, so it stays
	 * NORMAL.
	 */
	@Test
	void aLargeCommittedHeapInTheContainerViewStaysNormal() throws Exception {
		assumeTrue(TestCgroup.containerViewUnavailable().isEmpty(),
				() -> "Skipped: " + TestCgroup.containerViewUnavailable().orElse(""));
		try (TestCgroup cgroup = TestCgroup.create("idle", 2048 * MB)) {
			Path mount = Files.createDirectory(this.temp.resolve("mount"));
			Forked run = fork(cgroup.containerView(
					java("-Xms1640m", "-Xmx1640m", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC", "idle", "30"), mount), 90);
			assertThat(run.exitCode()).as(run.output()).isZero();
			assertThat(run.line("READY")).contains("limit=" + 2048 * MB, "path=" + cgroup.path());
			assertThat(run.lines("SAMPLE")).as(run.output()).hasSizeGreaterThanOrEqualTo(25)
				.allMatch((line) -> line.contains("pressure=NORMAL"));
			assertThat(run.output()).doesNotContain("LEVEL");
			// RSS over the limit, what the guard used to read, is past the warning threshold
			assertThat(run.lines("SAMPLE")).anyMatch((line) -> rssRatio(line) >= 0.80);
			assertThat(cgroup.oomKills()).isZero();
		}
	}

	/**
	 * A child process filling a tmpfs file in the cgroup is memory outside the heap: the
	 * guard sees it and recovers once the file is gone.
	 */
	@Test
	void aChildProcessFillingTmpfsInTheCgroupIsSeen() throws Exception {
		try (TestCgroup cgroup = TestCgroup.create("tmpfs", 320 * MB)) {
			Forked run = fork(cgroup.nested(java("-Xmx96m", "-Dtmpfs.megabytes=150", "tmpfs", "20")), 90);
			assertThat(run.exitCode()).as(run.output()).isZero();
			assertThat(run.output()).as(run.output()).contains("FILLED", "DELETED");
			List<String> levels = run.lines("LEVEL");
			assertThat(levels).as(run.output()).isNotEmpty();
			assertThat(levels.get(0)).contains("NORMAL->");
			assertThat(levels.get(levels.size() - 1)).contains("->NORMAL");
			assertThat(cgroup.oomKills()).isZero();
		}
	}

	private static double rssRatio(String sample) {
		Matcher matcher = Pattern.compile("rssRatio=([0-9.]+)").matcher(sample);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

	private static List<Long> runTimes(String output) {
		List<Long> times = new ArrayList<>();
		Matcher matcher = RUN.matcher(output);
		while (matcher.find()) {
			times.add(Long.parseLong(matcher.group(1)));
		}
		return times;
	}

	private static List<String> java(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		List<String> jvm = new ArrayList<>();
		List<String> program = new ArrayList<>();
		for (String argument : arguments) {
			(argument.startsWith("-X") || argument.startsWith("-D") ? jvm : program).add(argument);
		}
		command.addAll(jvm);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(ContainerScenarioApplication.class.getName());
		command.addAll(program);
		return command;
	}

	private Forked fork(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
		Path log = Files.createTempFile(this.temp, "forked", ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		// glibc keeps freed blocks below its mmap threshold: relief must give memory back
		builder.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
		Process process = builder.start();
		if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			throw new AssertionError("forked JVM did not finish in " + timeoutSeconds + "s:\n" + Files.readString(log));
		}
		return new Forked(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
	}

	private record Forked(int exitCode, String output) {

		List<String> lines(String tag) {
			return this.output.lines().filter((line) -> line.startsWith(tag + " ")).toList();
		}

		String line(String tag) {
			return lines(tag).stream().findFirst().orElse("");
		}

	}

}
