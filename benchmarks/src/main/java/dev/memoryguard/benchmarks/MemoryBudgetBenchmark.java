package dev.memoryguard.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import dev.memoryguard.test.MemoryBudget;
import dev.memoryguard.test.Threads;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * What {@link MemoryBudget} costs and how exact it is, measured by running test suites
 * through the JUnit Platform launcher in this JVM.
 * <p>
 * <b>Overhead.</b> Four suites of 100 tests ({@code @RepeatedTest(100)}, each test
 * allocating and summing a 64 KB array): without a budget, with an {@code allocated}
 * budget on the test thread, with one on all threads, and with a {@code retained} budget
 * (full collections before and after each test). Each suite runs twice to warm up, then
 * {@code rounds} times in rotating order; the median wall time gives the cost per test
 * against the suite without a budget. The retained suite runs again with 256 MB of live
 * data on the heap (an application context and its caches), since a full collection costs
 * in proportion to what is live.
 * <p>
 * <b>Accuracy.</b> A parameterized test allocates one {@code byte[]} of 1 KB to 100 MB
 * under an {@code allocated} budget; the figure each invocation reports is set against the
 * array's length, on the first run in the JVM and on a second one.
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.memoryguard.benchmarks.MemoryBudgetBenchmark [rounds]
 * </pre>
 */
public final class MemoryBudgetBenchmark {

	private static final int TESTS = 100;

	private static final Pattern BYTES = Pattern.compile("\\((\\d+) bytes");

	static volatile Object sink;

	static List<int[]> ballast = List.of();

	private static final Launcher launcher = LauncherFactory.create();

	private MemoryBudgetBenchmark() {
	}

	public static void main(String[] args) {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 11;
		System.out.printf("JDK %s, %s, max heap %d MB%n", Runtime.version(), collector(),
				Runtime.getRuntime().maxMemory() / (1024 * 1024));
		overhead(rounds);
		accuracy();
	}

	private static void overhead(int rounds) {
		Map<String, Class<?>> suites = new LinkedHashMap<>();
		suites.put("no budget", NoBudget.class);
		suites.put("allocated (test thread)", Allocated.class);
		suites.put("allocated (all threads)", AllThreads.class);
		suites.put("retained", Retained.class);
		Map<String, Class<?>> withBallast = new LinkedHashMap<>();
		withBallast.put("no budget, 256 MB live", NoBudget.class);
		withBallast.put("retained, 256 MB live", Retained.class);
		Map<String, List<Long>> times = new LinkedHashMap<>();
		suites.keySet().forEach((name) -> times.put(name, new ArrayList<>()));
		withBallast.keySet().forEach((name) -> times.put(name, new ArrayList<>()));
		for (int warmUp = 0; warmUp < 3; warmUp++) {
			suites.values().forEach((suite) -> run(suite, null));
		}
		for (int round = 0; round < rounds; round++) {
			measure(suites, round, times);
			// the same suites with an application's worth of live data, in the same rounds
			ballast = ballast(256);
			System.gc();
			measure(withBallast, round, times);
			ballast = List.of();
			System.gc();
		}
		System.out.printf("%n| suite of %d tests | median ms | µs per test | overhead per test |%n|---|---|---|---|%n",
				TESTS);
		double base = median(times.get("no budget"));
		double baseWithBallast = median(times.get("no budget, 256 MB live"));
		times.forEach((name, samples) -> {
			double ms = median(samples);
			double reference = name.endsWith("live") ? baseWithBallast : base;
			System.out.printf("| %s | %.1f | %.0f | %s |%n", name, ms, ms * 1000 / TESTS,
					name.startsWith("no budget") ? "-" : String.format("%.0f µs", (ms - reference) * 1000 / TESTS));
		});
	}

	/**
	 * Runs each suite once, starting with a different one each round.
	 */
	private static void measure(Map<String, Class<?>> suites, int round, Map<String, List<Long>> times) {
		List<String> names = new ArrayList<>(suites.keySet());
		for (int i = 0; i < names.size(); i++) {
			String name = names.get((round + i) % names.size());
			long start = System.nanoTime();
			run(suites.get(name), null);
			times.get(name).add(System.nanoTime() - start);
		}
	}

	private static void accuracy() {
		System.out.printf("%n| requested | reported, first run | difference | reported, second run | difference |"
				+ "%n|---|---|---|---|---|%n");
		List<Long> first = new ArrayList<>();
		List<Long> second = new ArrayList<>();
		run(Accuracy.class, first);
		run(Accuracy.class, second);
		for (int i = 0; i < Accuracy.SIZES.length; i++) {
			long requested = Accuracy.SIZES[i];
			System.out.printf("| %s | %,d | %s | %,d | %s |%n", size(requested), first.get(i),
					difference(requested, first.get(i)), second.get(i), difference(requested, second.get(i)));
		}
	}

	/**
	 * Runs one suite; collects the allocation each test reported. Fails if a test failed.
	 */
	private static void run(Class<?> suite, @Nullable List<Long> reported) {
		LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
			.selectors(selectClass(suite))
			.build();
		launcher.execute(request, new TestExecutionListener() {

			@Override
			public void executionFinished(TestIdentifier test, TestExecutionResult result) {
				if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
					throw new IllegalStateException(test.getDisplayName() + " " + result);
				}
			}

			@Override
			public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
				String allocated = entry.getKeyValuePairs().get("memory.allocated");
				if (reported != null && allocated != null) {
					Matcher matcher = BYTES.matcher(allocated);
					if (matcher.find()) {
						reported.add(Long.parseLong(matcher.group(1)));
					}
				}
			}

		});
	}

	private static String difference(long requested, long reported) {
		long difference = reported - requested;
		return String.format("%+,d B (%+.3f%%)", difference, difference * 100.0 / requested);
	}

	private static String size(long bytes) {
		return (bytes >= 1024 * 1024) ? bytes / (1024 * 1024) + " MB" : bytes / 1024 + " KB";
	}

	private static double median(List<Long> nanos) {
		long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
		return sorted[sorted.length / 2] / 1_000_000.0;
	}

	private static List<int[]> ballast(int megabytes) {
		List<int[]> live = new ArrayList<>();
		for (int i = 0; i < megabytes * 16; i++) {
			live.add(new int[16 * 1024 - 4]);
		}
		return live;
	}

	private static String collector() {
		return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.map(java.lang.management.GarbageCollectorMXBean::getName)
			.toList()
			.toString();
	}

	static long work() {
		byte[] data = new byte[64 * 1024];
		Arrays.fill(data, (byte) 1);
		long sum = 0;
		for (byte b : data) {
			sum += b;
		}
		sink = data;
		return sum;
	}

	public static class NoBudget {

		@RepeatedTest(TESTS)
		void test() {
			work();
		}

	}

	public static class Allocated {

		@RepeatedTest(TESTS)
		@MemoryBudget(allocated = "1GB")
		void test() {
			work();
		}

	}

	public static class AllThreads {

		@RepeatedTest(TESTS)
		@MemoryBudget(allocated = "1GB", threads = Threads.ALL)
		void test() {
			work();
		}

	}

	public static class Retained {

		@RepeatedTest(TESTS)
		@MemoryBudget(retained = "1GB")
		void test() {
			work();
		}

	}

	public static class Accuracy {

		static final int[] SIZES = { 1024, 10 * 1024, 100 * 1024, 1024 * 1024, 10 * 1024 * 1024, 100 * 1024 * 1024 };

		@ParameterizedTest
		@ValueSource(ints = { 1024, 10 * 1024, 100 * 1024, 1024 * 1024, 10 * 1024 * 1024, 100 * 1024 * 1024 })
		@MemoryBudget(allocated = "1GB")
		void allocates(int bytes) {
			sink = new byte[bytes];
			sink = null;
		}

	}

}
