package dev.memoryguard.web.survival;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Clients that POST 2 MB bodies to {@code /upload} as fast as the server lets them: each
 * sends the next upload as soon as one is served and, when refused, waits as long as
 * {@code Retry-After} says. Meanwhile a probe of its own asks {@code /actuator/health}
 * five times a second with a 1 s timeout.
 */
final class UploadFlood {

	static final int BODY_BYTES = 2 * 1024 * 1024;

	private static final byte[] body = new byte[BODY_BYTES];

	private UploadFlood() {
	}

	/**
	 * Runs {@code clients} clients for {@code duration}, or until {@code alive} says the
	 * server is gone.
	 */
	static Result run(int port, int clients, Duration duration, BooleanSupplier alive) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		URI upload = URI.create("http://localhost:" + port + "/upload");
		long deadline = System.nanoTime() + duration.toNanos();
		Counts counts = new Counts();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < clients; i++) {
			threads.add(start("upload-" + i, () -> uploadUntil(client, upload, deadline, alive, counts)));
		}
		Thread health = start("health-probe", () -> probeHealth(port, deadline, alive, counts));
		long start = System.nanoTime();
		for (Thread thread : threads) {
			thread.join();
		}
		health.join();
		return counts.result(clients, Duration.ofNanos(System.nanoTime() - start));
	}

	private static Thread start(String name, Runnable work) {
		Thread thread = new Thread(work, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static void uploadUntil(HttpClient client, URI upload, long deadline, BooleanSupplier alive,
			Counts counts) {
		HttpRequest request = HttpRequest.newBuilder(upload)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/octet-stream")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		while (System.nanoTime() < deadline && alive.getAsBoolean()) {
			long sent = System.nanoTime();
			try {
				HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					counts.served.incrementAndGet();
					counts.latencies.add(System.nanoTime() - sent);
				}
				else if (response.statusCode() == 503) {
					counts.refused.incrementAndGet();
					Optional<String> retryAfter = response.headers().firstValue("Retry-After");
					if (retryAfter.isEmpty()) {
						counts.refusedWithoutRetryAfter.incrementAndGet();
					}
					pause(deadline, TimeUnit.SECONDS.toNanos(Long.parseLong(retryAfter.orElse("1"))));
				}
				else {
					counts.failed.incrementAndGet();
				}
			}
			catch (IOException ex) {
				counts.failed.incrementAndGet();
				pause(deadline, TimeUnit.MILLISECONDS.toNanos(100));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static void probeHealth(int port, long deadline, BooleanSupplier alive, Counts counts) {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
			.timeout(Duration.ofSeconds(1))
			.build();
		while (System.nanoTime() < deadline && alive.getAsBoolean()) {
			long sent = System.nanoTime();
			try {
				HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
				long took = System.nanoTime() - sent;
				counts.healthChecks.incrementAndGet();
				counts.healthSlowest.accumulateAndGet(took, Math::max);
				if (!response.body().contains("\"status\":\"")) {
					counts.healthFailures.incrementAndGet();
				}
			}
			catch (IOException ex) {
				counts.healthChecks.incrementAndGet();
				counts.healthFailures.incrementAndGet();
				counts.healthSlowest.accumulateAndGet(System.nanoTime() - sent, Math::max);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			pause(deadline, TimeUnit.MILLISECONDS.toNanos(200));
		}
	}

	private static void pause(long deadline, long nanos) {
		long until = Math.min(deadline, System.nanoTime() + nanos);
		long left;
		while ((left = until - System.nanoTime()) > 0) {
			try {
				TimeUnit.NANOSECONDS.sleep(left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static final class Counts {

		final AtomicLong served = new AtomicLong();

		final AtomicLong refused = new AtomicLong();

		final AtomicLong refusedWithoutRetryAfter = new AtomicLong();

		final AtomicLong failed = new AtomicLong();

		final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();

		final AtomicLong healthChecks = new AtomicLong();

		final AtomicLong healthFailures = new AtomicLong();

		final AtomicLong healthSlowest = new AtomicLong();

		Result result(int clients, Duration elapsed) {
			long[] sorted = this.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
			Duration p99 = (sorted.length > 0) ? Duration.ofNanos(sorted[(int) Math.ceil(sorted.length * 0.99) - 1])
					: Duration.ZERO;
			return new Result(clients, elapsed, this.served.get(), this.refused.get(),
					this.refusedWithoutRetryAfter.get(), this.failed.get(), p99, this.healthChecks.get(),
					this.healthFailures.get(), Duration.ofNanos(this.healthSlowest.get()));
		}

	}

	/**
	 * What one run saw.
	 *
	 * @param clients the clients
	 * @param elapsed how long the run took
	 * @param served uploads answered 200
	 * @param refused uploads answered 503
	 * @param refusedWithoutRetryAfter refusals without a {@code Retry-After} header
	 * @param failed uploads answered otherwise, or not at all
	 * @param p99 99th percentile latency of the served uploads
	 * @param healthChecks health requests sent
	 * @param healthFailures health requests unanswered within 1 s or answered without a
	 * status
	 * @param healthSlowest the slowest health answer
	 */
	record Result(int clients, Duration elapsed, long served, long refused, long refusedWithoutRetryAfter,
			long failed, Duration p99, long healthChecks, long healthFailures, Duration healthSlowest) {

		double servedPerSecond() {
			return this.served / (this.elapsed.toNanos() / 1e9);
		}

		@Override
		public String toString() {
			return String.format(
					"%d clients, %.1f s: served %d (%.1f/s, p99 %d ms), refused %d (%d without Retry-After), failed %d; health %d checks, %d failed, slowest %d ms",
					this.clients, this.elapsed.toMillis() / 1000.0, this.served, servedPerSecond(),
					this.p99.toMillis(), this.refused, this.refusedWithoutRetryAfter, this.failed,
					this.healthChecks, this.healthFailures, this.healthSlowest.toMillis());
		}

	}

}
