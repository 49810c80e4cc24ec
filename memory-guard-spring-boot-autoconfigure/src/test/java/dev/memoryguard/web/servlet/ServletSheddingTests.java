package dev.memoryguard.web.servlet;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.web.Admission;
import dev.memoryguard.web.Calls;
import dev.memoryguard.web.HttpShedMetrics;
import dev.memoryguard.web.HttpShedding;
import dev.memoryguard.web.WebClients.ContinueResult;

import static dev.memoryguard.web.WebClients.assertRefused;
import static dev.memoryguard.web.WebClients.get;
import static dev.memoryguard.web.WebClients.json;
import static dev.memoryguard.web.WebClients.post;
import static dev.memoryguard.web.WebClients.postAsync;
import static dev.memoryguard.web.WebClients.postExpectingContinue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for shedding load in a Spring MVC application on a real Tomcat, through a real
 * HTTP client, with the admission filter on and {@code /open/**} excluded from it, a
 * liveness group on the main port at {@code /livez} and the dashboard.
 */
@SpringBootTest(classes = ShedServletApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "memory-guard.web.shed.enabled=true", "memory-guard.web.shed.exclude=/open/**",
				"management.endpoints.web.exposure.include=health,memory",
				"management.endpoint.health.group.liveness.include=ping",
				"management.endpoint.health.group.liveness.additional-path=server:/livez",
				"memory-guard.dashboard.enabled=true", "spring.main.banner-mode=off" })
@ExtendWith(OutputCaptureExtension.class)
class ServletSheddingTests {

	private static final int MB = 1024 * 1024;

	@LocalServerPort
	private int port;

	@Autowired
	private ManualMemoryProbe probe;

	@Autowired
	private Calls calls;

	@Autowired
	private Admission admission;

	@Autowired
	private HttpShedding shedding;

	@Autowired
	private MeterRegistry meters;

	@AfterEach
	void backToNormal() {
		this.calls.open();
		this.probe.setHeapMax(ManualMemoryProbe.DEFAULT_HEAP_MAX).setPressure(MemoryPressure.NORMAL);
		this.calls.reset();
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "*/*", "text/html" })
	void memorySafeFailMethodAnswers503WithRetryAfterAndProblemJson(String accept) {
		assertThat(get(this.port, "/open/export", accept).body()).isEqualTo("exported");
		this.probe.setPressure(MemoryPressure.CRITICAL);
		assertRefused(get(this.port, "/open/export", accept), "/open/export", "CRITICAL");
	}

	@Test
	void applicationsOwnExceptionHandlerWins() {
		this.probe.setPressure(MemoryPressure.CRITICAL);
		long handled = this.shedding.shed();
		HttpResponse<String> own = get(this.port, "/open/own/export");
		assertThat(own.statusCode()).isEqualTo(429);
		assertThat(own.body()).isEqualTo("own handler");
		HttpResponse<String> advised = get(this.port, "/open/advised/export");
		assertThat(advised.statusCode()).isEqualTo(429);
		assertThat(advised.body()).isEqualTo("own advice");
		assertThat(this.shedding.shed()).isEqualTo(handled);
	}

	@Test
	void admissionAtCriticalRefusesBeforeTheControllerRunsAndManagementStillAnswers() {
		this.probe.setPressure(MemoryPressure.CRITICAL);
		assertRefused(get(this.port, "/api/items"), "/api/items", "CRITICAL");
		assertRefused(post(this.port, "/api/upload", MB), "/api/upload", "CRITICAL");
		assertThat(this.calls.count("items")).isZero();
		assertThat(this.calls.count("upload")).isZero();
		HttpResponse<String> health = get(this.port, "/actuator/health");
		assertThat(health.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).doesNotContain("problem"));
		assertThat(json(health).get("status").asString()).isEqualTo("OUT_OF_SERVICE");
		assertThat(get(this.port, "/actuator/memory/http").statusCode()).isEqualTo(200);
		assertThat(json(get(this.port, "/livez")).get("status").asString()).isEqualTo("UP");
		assertThat(get(this.port, "/memory-guard/").statusCode()).isEqualTo(200);
		HttpResponse<String> excluded = get(this.port, "/open/ping");
		assertThat(excluded.statusCode()).isEqualTo(200);
		assertThat(this.calls.count("ping")).isOne();
	}

	@Test
	void normalLetsEverythingThrough() {
		assertThat(get(this.port, "/api/items").statusCode()).isEqualTo(200);
		HttpResponse<String> upload = post(this.port, "/api/upload", MB);
		assertThat(upload.statusCode()).isEqualTo(200);
		assertThat(upload.body()).isEqualTo(Integer.toString(MB));
		assertThat(this.calls.count("items")).isOne();
		assertThat(this.calls.count("upload")).isOne();
		await().until(() -> this.admission.reserved() == 0);
	}

	@Test
	void warningBelowTheThresholdLetsRequestsThrough() {
		this.probe.setPressure(MemoryPressure.WARNING);
		assertThat(get(this.port, "/api/items").statusCode()).isEqualTo(200);
	}

	@Test
	void declaredBodyLargerThanTheHeadroomIsRefusedAtNormal() {
		smallHeapWith3AndAHalfMegabytesOfHeadroom();
		assertRefused(post(this.port, "/api/upload", 2 * MB), "/api/upload", "NORMAL");
		assertThat(this.calls.count("upload")).isZero();
		HttpResponse<String> fits = post(this.port, "/api/upload", MB);
		assertThat(fits.statusCode()).isEqualTo(200);
		assertThat(fits.body()).isEqualTo(Integer.toString(MB));
		await().until(() -> this.admission.reserved() == 0);
	}

	@Test
	void bodiesInFlightReserveHeadroomUntilTheyComplete() throws Exception {
		smallHeapWith3AndAHalfMegabytesOfHeadroom();
		this.calls.close();
		CompletableFuture<HttpResponse<String>> held = postAsync(this.port, "/api/hold", MB);
		await().until(() -> this.calls.waiting() == 1);
		assertThat(this.admission.reserved()).isEqualTo(2L * MB);
		assertRefused(post(this.port, "/api/upload", MB), "/api/upload", "NORMAL");
		this.calls.open();
		assertThat(held.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		await().until(() -> this.admission.reserved() == 0);
		assertThat(post(this.port, "/api/upload", MB).statusCode()).isEqualTo(200);
	}

	@Test
	void clientsExpectingContinueNeverSendARefusedBody() throws Exception {
		smallHeapWith3AndAHalfMegabytesOfHeadroom();
		ContinueResult refused = postExpectingContinue(this.port, "/api/upload", 2 * MB);
		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.bodySent()).isFalse();
		assertThat(refused.head()).contains("Retry-After: ").contains("application/problem+json");
		ContinueResult accepted = postExpectingContinue(this.port, "/api/upload", MB);
		assertThat(accepted.status()).isEqualTo(200);
		assertThat(accepted.bodySent()).isTrue();
		assertThat(this.calls.count("upload")).isOne();
	}

	@Test
	void reservationsAreGivenBackOnErrorAndAsynchronousCompletion() {
		assertThat(post(this.port, "/api/fail", MB).statusCode()).isEqualTo(500);
		assertThat(post(this.port, "/api/async", MB).body()).isEqualTo(Integer.toString(MB));
		assertThat(post(this.port, "/api/async-fail", MB).statusCode()).isEqualTo(500);
		assertThat(post(this.port, "/api/async-timeout", MB).statusCode()).isEqualTo(503);
		await().until(() -> this.admission.reserved() == 0);
		for (int i = 0; i < 20; i++) {
			post(this.port, (i % 2 == 0) ? "/api/async-fail" : "/api/fail", MB);
		}
		await().until(() -> this.admission.reserved() == 0);
	}

	@Test
	void meterCountsRefusalsAtAdmissionAndInHandlers() {
		double admitted = counter("admission");
		double handled = counter("handler");
		this.probe.setPressure(MemoryPressure.CRITICAL);
		get(this.port, "/api/items");
		get(this.port, "/api/items");
		get(this.port, "/open/export");
		assertThat(counter("admission")).isEqualTo(admitted + 2);
		assertThat(counter("handler")).isEqualTo(handled + 1);
	}

	@Test
	void oneWarningPerEpisodeWithTheCountRefused(CapturedOutput output) {
		this.probe.setPressure(MemoryPressure.CRITICAL);
		int start = output.getOut().length();
		for (int i = 0; i < 5; i++) {
			get(this.port, "/api/items");
		}
		get(this.port, "/open/export");
		assertThat(output.getOut().substring(start)).doesNotContain("Refused ");
		this.probe.setPressure(MemoryPressure.NORMAL);
		get(this.port, "/api/items");
		assertThat(output.getOut().substring(start).lines().filter((line) -> line.contains("Refused ")))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains("WARN")
				.contains("Refused 6 requests with 503 while memory pressure was CRITICAL")
				.contains("5 at admission, 1 in handlers")
				.contains("pressure is now NORMAL"));
	}

	@Test
	void memoryDocumentShowsTheRefusals() {
		this.probe.setPressure(MemoryPressure.CRITICAL);
		get(this.port, "/api/items");
		JsonNode http = json(get(this.port, "/actuator/memory")).get("http");
		assertThat(http.get("shed").asLong()).isEqualTo(this.shedding.shed()).isPositive();
		assertThat(http.get("admissionEnabled").asBoolean()).isTrue();
		assertThat(json(get(this.port, "/actuator/memory/http"))).isEqualTo(http);
	}

	private void smallHeapWith3AndAHalfMegabytesOfHeadroom() {
		// 10 MB heap, half live: 3.5 MB left under the critical threshold (85%)
		this.probe.setHeapMax(10L * MB).setLiveRatio(0.5);
		assertThat(this.probe.read().heapMax()).isEqualTo(10L * MB);
	}

	private double counter(String source) {
		return this.meters.get(HttpShedMetrics.NAME).tag("source", source).functionCounter().count();
	}

}
