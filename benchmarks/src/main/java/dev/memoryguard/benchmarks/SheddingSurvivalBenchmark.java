package dev.memoryguard.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The survival scenario of the web shedding issue, measured: a Spring MVC server in a
 * JVM of its own ({@code -Xmx128m}, G1, exit on {@code OutOfMemoryError}) takes 64
 * clients POSTing 2 MB bodies to an endpoint that holds what it reads for 300 ms
 * ({@link UploadServerApplication}); clients send the next upload as soon as one is
 * served and wait as {@code Retry-After} says when refused. Each mode runs in a fresh
 * server:
 * <ul>
 * <li>{@code admission}, 6 clients (a tenth of the load), then 64 clients in the same JVM;</li>
 * <li>{@code unguarded}, 64 clients.</li>
 * </ul>
 * Reported: uploads served and refused, served per second, 99th percentile latency of the
 * served ones, the peak live heap (the guard's {@code liveAfterGc} read from
 * {@code /actuator/memory/heap} four times a second), the slowest and failed answers of
 * {@code /actuator/health} asked five times a second with a 1 s timeout, and how the
 * server ended. The server runs on the benchmarks jar, whose size adds a few MB of live
 * heap to both modes alike.
 * <p>
 * Build and run:
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.memoryguard.benchmarks.SheddingSurvivalBenchmark [seconds]
 * </pre>
 */
public final class SheddingSurvivalBenchmark {

	private static final int CLIENTS = 64;

	private static final byte[] BODY = new byte[2 * 1024 * 1024];

	private static final Pattern LIVE = Pattern.compile("\"liveAfterGc\":(\\d+)");

	private SheddingSurvivalBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 30;
		System.out.printf("JDK %s, %d cores, %d s per flood%n", System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), seconds);
		List<String> rows = new ArrayList<>();
		try (Server server = Server.start("admission")) {
			flood(server, CLIENTS / 10, 3);
			rows.add(flood(server, CLIENTS / 10, seconds).row("admission", CLIENTS / 10, server));
			rows.add(flood(server, CLIENTS, seconds).row("admission", CLIENTS, server));
		}
		try (Server server = Server.start("unguarded")) {
			rows.add(flood(server, CLIENTS, seconds).row("unguarded", CLIENTS, server));
		}
		System.out.println();
		System.out.println("| mode | clients | served | served/s | refused (503) | failed | p99 served | peak live heap | health slowest | health failed | server |");
		System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
		rows.forEach(System.out::println);
	}

	private static Run flood(Server server, int clients, int seconds) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest upload = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port + "/upload"))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/octet-stream")
			.POST(HttpRequest.BodyPublishers.ofByteArray(BODY))
			.build();
		Run run = new Run();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < clients; i++) {
			threads.add(start(() -> upload(client, upload, deadline, server, run)));
		}
		threads.add(start(() -> watch(server, deadline, run)));
		long started = System.nanoTime();
		for (Thread thread : threads) {
			thread.join();
		}
		run.elapsedNanos = System.nanoTime() - started;
		return run;
	}

	private static void upload(HttpClient client, HttpRequest upload, long deadline, Server server, Run run) {
		while (System.nanoTime() < deadline && server.process.isAlive()) {
			long sent = System.nanoTime();
			try {
				HttpResponse<Void> response = client.send(upload, HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					run.served.incrementAndGet();
					run.latencies.add(System.nanoTime() - sent);
				}
				else if (response.statusCode() == 503) {
					run.refused.incrementAndGet();
					long wait = Long.parseLong(response.headers().firstValue("Retry-After").orElse("1"));
					sleepUntil(Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(wait)));
				}
				else {
					run.failed.incrementAndGet();
				}
			}
			catch (IOException ex) {
				run.failed.incrementAndGet();
				sleepUntil(Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100)));
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private static void watch(Server server, long deadline, Run run) {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port + "/actuator/health"))
			.timeout(Duration.ofSeconds(1))
			.build();
		HttpRequest heap = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port + "/actuator/memory/heap"))
			.timeout(Duration.ofSeconds(1))
			.build();
		int tick = 0;
		while (System.nanoTime() < deadline && server.process.isAlive()) {
			long sent = System.nanoTime();
			try {
				if (tick++ % 4 != 3) {
					String body = client.send(health, HttpResponse.BodyHandlers.ofString()).body();
					run.healthChecks.incrementAndGet();
					run.healthSlowest.accumulateAndGet(System.nanoTime() - sent, Math::max);
					if (!body.contains("\"status\":\"")) {
						run.healthFailed.incrementAndGet();
					}
				}
				else {
					Matcher live = LIVE.matcher(client.send(heap, HttpResponse.BodyHandlers.ofString()).body());
					if (live.find()) {
						run.peakLive.accumulateAndGet(Long.parseLong(live.group(1)), Math::max);
					}
				}
			}
			catch (IOException ex) {
				run.healthChecks.incrementAndGet();
				run.healthFailed.incrementAndGet();
				run.healthSlowest.accumulateAndGet(System.nanoTime() - sent, Math::max);
			}
			catch (InterruptedException ex) {
				return;
			}
			sleepUntil(Math.min(deadline, sent + TimeUnit.MILLISECONDS.toNanos(200)));
		}
	}

	private static Thread start(Runnable work) {
		Thread thread = new Thread(work);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static void sleepUntil(long nanoTime) {
		long left;
		while ((left = nanoTime - System.nanoTime()) > 0) {
			try {
				TimeUnit.NANOSECONDS.sleep(left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static final class Run {

		final AtomicLong served = new AtomicLong();

		final AtomicLong refused = new AtomicLong();

		final AtomicLong failed = new AtomicLong();

		final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();

		final AtomicLong healthChecks = new AtomicLong();

		final AtomicLong healthFailed = new AtomicLong();

		final AtomicLong healthSlowest = new AtomicLong();

		final AtomicLong peakLive = new AtomicLong();

		long elapsedNanos;

		String row(String mode, int clients, Server server) {
			long[] sorted = this.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
			long p99 = (sorted.length > 0) ? sorted[(int) Math.ceil(sorted.length * 0.99) - 1] : 0;
			String ended = server.process.isAlive() ? "up"
					: server.output().contains("OutOfMemoryError") ? "died: OutOfMemoryError" : "died";
			return String.format("| %s | %d | %,d | %.1f | %,d | %,d | %,d ms | %.1f MB | %,d ms | %d of %d | %s |", mode,
					clients, this.served.get(), this.served.get() / (this.elapsedNanos / 1e9), this.refused.get(),
					this.failed.get(), TimeUnit.NANOSECONDS.toMillis(p99), this.peakLive.get() / 1048576.0,
					TimeUnit.NANOSECONDS.toMillis(this.healthSlowest.get()), this.healthFailed.get(),
					this.healthChecks.get(), ended);
		}

	}

	private static final class Server implements AutoCloseable {

		final Process process;

		final StringBuffer output = new StringBuffer();

		final int port;

		private Server(Process process) throws Exception {
			this.process = process;
			CompletableFuture<Integer> ready = new CompletableFuture<>();
			Thread reader = new Thread(() -> {
				try (BufferedReader lines = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = lines.readLine()) != null) {
						this.output.append(line).append('\n');
						if (line.startsWith("READY ")) {
							ready.complete(Integer.parseInt(line.substring(6).trim()));
						}
					}
				}
				catch (IOException ex) {
					// the server is gone
				}
				ready.completeExceptionally(new IllegalStateException("server exited:\n" + this.output));
			});
			reader.setDaemon(true);
			reader.start();
			this.port = ready.get(120, TimeUnit.SECONDS);
		}

		static Server start(String mode) throws Exception {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			return new Server(new ProcessBuilder(java, "-Xmx128m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
					"-cp", System.getProperty("java.class.path"), UploadServerApplication.class.getName(), mode)
				.redirectErrorStream(true)
				.start());
		}

		String output() {
			return this.output.toString();
		}

		@Override
		public void close() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}
