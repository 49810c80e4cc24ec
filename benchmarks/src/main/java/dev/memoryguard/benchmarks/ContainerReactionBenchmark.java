package dev.memoryguard.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How fast the guard reacts to memory outside the heap filling a container: a forked JVM
 * ({@code -Xmx128m}) in a memory cgroup with a 512 MiB limit grows touched native memory
 * at 20 MB/s and at 100 MB/s ({@link ContainerReactionRun}); for each trial, the time from
 * the container signal crossing the critical threshold (0.95) to the guard going CRITICAL,
 * and how far past the threshold the signal and the cgroup's usage were by then. Needs
 * root and a writable cgroup v1 memory controller.
 * <p>
 * Run:
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.memoryguard.benchmarks.ContainerReactionBenchmark 5
 * </pre>
 */
public final class ContainerReactionBenchmark {

	private ContainerReactionBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int trials = Integer.parseInt(args[0]);
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		System.out.println("| growth | trial | crossed (ms) | CRITICAL (ms) | lag (ms) | signal at CRITICAL | "
				+ "working set / limit at CRITICAL |");
		System.out.println("|---|---:|---:|---:|---:|---:|---:|");
		for (int rate : new int[] { 20, 100 }) {
			BenchmarkCgroup cgroup = BenchmarkCgroup.create("container-reaction", 512L << 20);
			try {
				List<String> command = new ArrayList<>(List.of("sh", "-c",
						"echo $$ > " + cgroup.directory.resolve("cgroup.procs") + " && exec \"$@\"", "sh", java,
						"-Xmx128m", "-cp", System.getProperty("java.class.path"),
						ContainerReactionRun.class.getName(), Integer.toString(rate), Integer.toString(trials)));
				ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
				builder.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
				Process process = builder.start();
				String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				process.waitFor();
				int trial = 0;
				for (String line : output.lines().filter((line) -> line.startsWith("TRIAL")).toList()) {
					String[] fields = line.split(" ");
					long crossed = Long.parseLong(fields[1]);
					long critical = Long.parseLong(fields[2]);
					System.out.printf("| %d MB/s | %d | %d | %d | %s | %s | %s |%n", rate, ++trial, crossed, critical,
							(crossed >= 0 && critical >= 0) ? Long.toString(critical - crossed) : "-", fields[3],
							fields[4]);
				}
				if (trial == 0) {
					System.out.println("| " + rate + " MB/s | failed: " + output.lines().reduce((a, b) -> b).orElse("")
							+ " |");
				}
			}
			finally {
				cgroup.remove();
			}
		}
	}

}
