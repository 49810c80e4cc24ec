package dev.memoryguard.web.servlet;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.web.Calls;
import dev.memoryguard.web.HttpShedding;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's clients that honour {@code Retry-After}, Spring's {@code RestClient} with
 * {@code @Retryable} and with Resilience4j's retry, against a server that refuses for
 * 1.5 s with a 1 s {@code Retry-After}: each waits as told and gets its answer after one
 * or two refusals. Retrying at once instead, both would spend their attempts within
 * milliseconds and fail. Shares its application with
 * {@link ServletSheddingManagementPortTests}.
 */
@SpringBootTest(classes = ShedServletApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "memory-guard.web.shed.enabled=true", "memory-guard.web.shed.exclude=/open/**",
				"memory-guard.web.retry-after=1s", "management.server.port=0",
				"management.endpoints.web.exposure.include=health,memory", "spring.mvc.problemdetails.enabled=true",
				"spring.main.banner-mode=off" })
class ClientRetryTests {

	private static final long REFUSING_MILLIS = 1500;

	@LocalServerPort
	private int port;

	@Autowired
	private ManualMemoryProbe probe;

	@Autowired
	private HttpShedding shedding;

	@Autowired
	private Calls calls;

	@AfterEach
	void backToNormal() {
		this.probe.setPressure(MemoryPressure.NORMAL);
		this.calls.reset();
	}

	@Test
	void restClientWithRetryableWaitsAsRetryAfterSaysAndGetsTheAnswer() throws Exception {
		try (AnnotationConfigApplicationContext client = new AnnotationConfigApplicationContext()) {
			client.registerBean(RestClient.Builder.class,
					() -> RestClient.builder().baseUrl("http://localhost:" + this.port));
			client.register(ClientConfiguration.class, ItemsClient.class);
			client.refresh();
			ItemsClient items = client.getBean(ItemsClient.class);
			assertAnsweredAfterWaiting(items::items);
		}
	}

	@Test
	void resilience4jRetryWithAnIntervalReadingTheHeaderGetsTheAnswer() throws Exception {
		RestClient client = RestClient.builder().baseUrl("http://localhost:" + this.port).build();
		RetryConfig config = RetryConfig.custom()
			.maxAttempts(4)
			.retryExceptions(HttpServerErrorException.ServiceUnavailable.class)
			.intervalBiFunction((attempt, outcome) -> (outcome.isLeft()
					&& outcome.getLeft() instanceof HttpServerErrorException.ServiceUnavailable unavailable)
							? ItemsClient.retryAfter(unavailable.getResponseHeaders(), Duration.ofSeconds(1)).toMillis()
							: 500L * attempt)
			.build();
		Retry retry = Retry.of("items", config);
		assertAnsweredAfterWaiting(
				() -> retry.executeSupplier(() -> client.get().uri("/api/items").retrieve().body(String.class)));
	}

	private void assertAnsweredAfterWaiting(Call call) throws Exception {
		long refusedBefore = this.shedding.shed();
		this.probe.setPressure(MemoryPressure.CRITICAL);
		Thread recovery = new Thread(() -> {
			try {
				TimeUnit.MILLISECONDS.sleep(REFUSING_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.probe.setPressure(MemoryPressure.NORMAL);
		});
		long start = System.nanoTime();
		recovery.start();
		String answer = call.call();
		long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		recovery.join();
		assertThat(answer).isEqualTo("items");
		assertThat(took).isGreaterThanOrEqualTo(REFUSING_MILLIS);
		assertThat(this.shedding.shed() - refusedBefore).isBetween(1L, 2L);
		assertThat(this.calls.count("items")).isOne();
	}

	@FunctionalInterface
	interface Call {

		String call() throws Exception;

	}

	@Configuration(proxyBeanMethods = false)
	@EnableResilientMethods
	static class ClientConfiguration {

	}

	public static class ItemsClient {

		private final RestClient client;

		ItemsClient(RestClient.Builder builder) {
			this.client = builder.build();
		}

		@Retryable(includes = HttpServerErrorException.ServiceUnavailable.class, maxRetries = 3, delay = 0)
		public String items() throws InterruptedException {
			try {
				return this.client.get().uri("/api/items").retrieve().body(String.class);
			}
			catch (HttpServerErrorException.ServiceUnavailable ex) {
				Thread.sleep(retryAfter(ex.getResponseHeaders(), Duration.ofSeconds(1)).toMillis());
				throw ex;
			}
		}

		static Duration retryAfter(HttpHeaders headers, Duration otherwise) {
			String seconds = (headers != null) ? headers.getFirst(HttpHeaders.RETRY_AFTER) : null;
			return (seconds != null && seconds.matches("\\d+")) ? Duration.ofSeconds(Long.parseLong(seconds))
					: otherwise;
		}

	}

}
