package dev.memoryguard.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.web.Admission;

/**
 * Requests per second of a small endpoint on a real Tomcat with the admission filter on
 * ({@code memory-guard.web.shed.enabled=true}, memory NORMAL) against the same
 * application without it. Both applications run in this one JVM, each on its own Tomcat,
 * and are measured in interleaved rounds (ABBA, so neither always goes first): {@code GET
 * /hello} (the filter reads the level and finds no body) and {@code POST /echo} with a
 * 1 KB body (the filter also reserves and gives back twice the body's length).
 * <p>
 * Load comes from kept-alive connections of a minimal HTTP/1.1 client, so that the
 * server's own cost per request dominates. After 20 s of warm-up, many short rounds
 * (default 40 of 1 s per application) keep a shared machine's changing load from landing
 * on one side only; the figures are the medians. Arguments: connections (default 4),
 * rounds, seconds per round, {@code verbose} to print every round.
 * <p>
 * Build and run:
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar dev.memoryguard.benchmarks.HttpAdmissionBenchmark [connections] [rounds] [seconds] [verbose]
 * </pre>
 */
public final class HttpAdmissionBenchmark {

	private HttpAdmissionBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int connections = (args.length > 0) ? Integer.parseInt(args[0]) : 4;
		boolean verbose = args.length > 3 && args[3].equals("verbose");
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 40;
		int seconds = (args.length > 2) ? Integer.parseInt(args[2]) : 1;
		try (ConfigurableApplicationContext withFilter = start(true);
				ConfigurableApplicationContext withoutFilter = start(false)) {
			int filtered = WebApplications.port(withFilter);
			int plain = WebApplications.port(withoutFilter);
			if (withFilter.getBeanNamesForType(Admission.class).length != 1
					|| withoutFilter.getBeanNamesForType(Admission.class).length != 0) {
				throw new IllegalStateException("expected the filter in one application only");
			}
			System.out.printf("JDK %s, %d cores, %d connections, %d rounds of %d s%n",
					System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), connections,
					rounds, seconds);
			for (String[] endpoint : new String[][] { { "GET", "/hello", "0" }, { "POST", "/echo", "1024" } }) {
				String method = endpoint[0];
				String path = endpoint[1];
				int body = Integer.parseInt(endpoint[2]);
				for (int warmup = 0; warmup < 2; warmup++) {
					measure(filtered, method, path, body, connections, 5);
					measure(plain, method, path, body, connections, 5);
				}
				double[] on = new double[rounds];
				double[] off = new double[rounds];
				for (int round = 0; round < rounds; round++) {
					boolean filterFirst = round % 2 == 0;
					if (filterFirst) {
						on[round] = measure(filtered, method, path, body, connections, seconds);
						off[round] = measure(plain, method, path, body, connections, seconds);
					}
					else {
						off[round] = measure(plain, method, path, body, connections, seconds);
						on[round] = measure(filtered, method, path, body, connections, seconds);
					}
					if (verbose) {
						System.out.printf("  %s %s round %2d: filter %,9.0f req/s, none %,9.0f req/s, %.3fx%n", method,
								path, round + 1, on[round], off[round], on[round] / off[round]);
					}
				}
				checkNormal(withFilter);
				double[] ratios = new double[rounds];
				for (int i = 0; i < rounds; i++) {
					ratios[i] = on[i] / off[i];
				}
				System.out.printf(
						"%s %s: filter %,.0f req/s, none %,.0f req/s (medians of %d rounds); ratio of medians %.3fx, of means %.3fx, median of round ratios %.3fx%n",
						method, path, median(on), median(off), rounds, median(on) / median(off),
						Arrays.stream(on).sum() / Arrays.stream(off).sum(), median(ratios));
			}
		}
	}

	private static ConfigurableApplicationContext start(boolean filter) {
		// connections stay open for the whole run (Tomcat closes them after 100 requests by default)
		return WebApplications.start(HelloApplication.class, "memory-guard.web.shed.enabled=" + filter,
				"server.tomcat.max-keep-alive-requests=-1");
	}

	private static void checkNormal(ConfigurableApplicationContext context) {
		MemoryPressure pressure = context.getBean(MemoryGuard.class).pressure();
		if (pressure != MemoryPressure.NORMAL) {
			throw new IllegalStateException("memory was " + pressure + " during the measurement");
		}
	}

	private static double measure(int port, String method, String path, int body, int connections, int seconds)
			throws Exception {
		LongAdder done = new LongAdder();
		AtomicBoolean measuring = new AtomicBoolean(true);
		CountDownLatch finished = new CountDownLatch(connections);
		List<Throwable> failures = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			Thread thread = new Thread(() -> {
				try (KeepAliveClient client = new KeepAliveClient(port, method, path, body)) {
					while (measuring.get()) {
						int status = client.exchange();
						if (status != 200) {
							throw new IllegalStateException(method + " " + path + " answered " + status);
						}
						done.increment();
					}
				}
				catch (IOException | RuntimeException ex) {
					synchronized (failures) {
						failures.add(ex);
					}
				}
				finally {
					finished.countDown();
				}
			}, "client-" + i);
			thread.start();
		}
		long start = System.nanoTime();
		TimeUnit.SECONDS.sleep(seconds);
		long requests = done.sum();
		long elapsed = System.nanoTime() - start;
		measuring.set(false);
		finished.await();
		if (!failures.isEmpty()) {
			throw new IllegalStateException("client failed", failures.get(0));
		}
		return requests / (elapsed / 1e9);
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/**
	 * The application measured: two small endpoints and the auto-configuration.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Hello.class)
	static class HelloApplication {

	}

	@RestController
	static class Hello {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

		@PostMapping("/echo")
		String echo(@RequestBody byte[] body) {
			return Integer.toString(body.length);
		}

	}

}
