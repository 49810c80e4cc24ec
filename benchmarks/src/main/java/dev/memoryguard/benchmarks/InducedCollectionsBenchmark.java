package dev.memoryguard.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the collections the guard requests cost on a big heap: for each collector, a forked
 * JVM with a 2 GB heap holds a live set between the warning and critical thresholds, then
 * one above critical, each with confirming collections on and off, and the collections the
 * guard induced and their pauses are read from {@code -Xlog:gc} (every pause of a
 * collection whose cause is {@code System.gc()}), as a share of wall time.
 * <p>
 * Run (takes {@code 4 x seconds} per collector):
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.memoryguard.benchmarks.InducedCollectionsBenchmark 300 [java-home [collector [live-set]]]
 * </pre>
 * A collector ({@code Shenandoah}) and a live set ({@code 0.88}) given after the Java home
 * repeat only those runs.
 */
public final class InducedCollectionsBenchmark {

	private static final List<List<String>> COLLECTORS = List.of(List.of("-XX:+UseSerialGC"),
			List.of("-XX:+UseParallelGC"), List.of("-XX:+UseG1GC"), List.of("-XX:+UseZGC"),
			List.of("-XX:+UseShenandoahGC"));

	private static final double BETWEEN = 0.76;

	private static final double ABOVE = 0.88;

	private static final Pattern GC_ID = Pattern.compile("GC\\((\\d+)\\)");

	private static final Pattern PAUSE = Pattern.compile("GC\\((\\d+)\\).*Pause.* ([0-9.]+)ms$");

	private InducedCollectionsBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = Integer.parseInt(args[0]);
		String javaHome = (args.length > 1) ? args[1] : System.getProperty("java.home");
		String java = Path.of(javaHome, "bin", "java").toString();
		String onlyCollector = (args.length > 2) ? args[2] : "";
		double onlyLive = (args.length > 3) ? Double.parseDouble(args[3]) : Double.NaN;
		System.out.println("| collector | live set | confirm | induced | induced pause (ms) | share of wall time | "
				+ "all GC pauses (ms) | time NORMAL/WARNING/CRITICAL (s) | OOM |");
		System.out.println("|---|---|---|---:|---:|---:|---:|---|---|");
		for (List<String> collector : COLLECTORS) {
			if (!collector.get(0).contains(onlyCollector)) {
				continue;
			}
			for (double live : new double[] { BETWEEN, ABOVE }) {
				if (!Double.isNaN(onlyLive) && live != onlyLive) {
					continue;
				}
				for (boolean confirm : new boolean[] { true, false }) {
					run(java, collector, live, confirm, seconds);
				}
			}
		}
	}

	private static void run(String java, List<String> collector, double live, boolean confirm, int seconds)
			throws IOException, InterruptedException {
		Path log = Files.createTempFile("induced-gc", ".log");
		List<String> command = new ArrayList<>(List.of(java, "-Xms2g", "-Xmx2g"));
		command.addAll(collector);
		command.addAll(List.of("-Xlog:gc,gc+phases:file=" + log, "-cp", System.getProperty("java.class.path"),
				InducedCollectionsRun.class.getName(), Double.toString(live), Integer.toString(seconds),
				Boolean.toString(confirm)));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		String result = output.lines().filter((line) -> line.startsWith("RESULT")).findFirst().orElse(null);
		if (result == null) {
			System.out.printf("| %s | %.2f | %s | failed: %s |%n", collector.get(0), live, confirm,
					output.lines().reduce((a, b) -> b).orElse("no output"));
			return;
		}
		String[] fields = result.split(" ");
		double[] pauses = pauses(Files.readAllLines(log));
		Files.deleteIfExists(log);
		double wallMillis = Integer.parseInt(fields[3]) * 1000.0;
		System.out.printf("| %s | %.2f | %s | %s | %.0f | %.3f%% | %.0f | %s/%s/%s | %s |%n",
				collector.get(0).replace("-XX:+Use", ""), live, confirm ? "on" : "off", fields[1], pauses[0],
				pauses[0] / wallMillis * 100, pauses[1], fields[4], fields[5], fields[6], fields[7]);
	}

	/**
	 * Returns the pauses of collections caused by System.gc() and of all collections, in
	 * milliseconds.
	 */
	static double[] pauses(List<String> log) {
		Set<String> induced = new HashSet<>();
		for (String line : log) {
			Matcher id = GC_ID.matcher(line);
			if (line.contains("(System.gc())") && id.find()) {
				induced.add(id.group(1));
			}
		}
		double inducedPause = 0;
		double allPause = 0;
		for (String line : log) {
			Matcher pause = PAUSE.matcher(line);
			if (pause.find()) {
				double millis = Double.parseDouble(pause.group(2));
				allPause += millis;
				if (induced.contains(pause.group(1))) {
					inducedPause += millis;
				}
			}
		}
		return new double[] { inducedPause, allPause };
	}

}
