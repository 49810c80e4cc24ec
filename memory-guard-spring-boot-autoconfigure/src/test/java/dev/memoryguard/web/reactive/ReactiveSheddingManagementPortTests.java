package dev.memoryguard.web.reactive;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.web.Calls;

import static dev.memoryguard.web.WebClients.assertRefused;
import static dev.memoryguard.web.WebClients.delete;
import static dev.memoryguard.web.WebClients.get;
import static dev.memoryguard.web.WebClients.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for shedding load in a WebFlux application whose actuator runs on a separate
 * management port, with WebFlux's own problem details turned on. The reactive management
 * server runs the application's web filters too.
 */
@SpringBootTest(classes = ShedReactiveApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "memory-guard.web.shed.enabled=true",
				"memory-guard.web.shed.exclude=/open/**",
				// Tomcat is on the test class path too; the management server runs on Netty like the application
				"spring.autoconfigure.exclude=org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration",
				"management.server.port=0", "management.endpoints.web.exposure.include=health,memory",
				"spring.webflux.problemdetails.enabled=true", "spring.main.banner-mode=off" })
class ReactiveSheddingManagementPortTests {

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private ManualMemoryProbe probe;

	@Autowired
	private Calls calls;

	@AfterEach
	void backToNormal() {
		this.probe.setPressure(MemoryPressure.NORMAL);
		this.calls.reset();
	}

	@Test
	void separateManagementPortStillAnswersWhileRequestsAreRefused() {
		this.probe.setPressure(MemoryPressure.CRITICAL);
		assertRefused(get(this.port, "/api/items"), "/api/items", "CRITICAL");
		assertThat(this.calls.count("items")).isZero();
		HttpResponse<String> health = get(this.managementPort, "/actuator/health");
		assertThat(json(health).get("status").asString()).isEqualTo("OUT_OF_SERVICE");
		HttpResponse<String> http = get(this.managementPort, "/actuator/memory/http");
		assertThat(http.statusCode()).isEqualTo(200);
		assertThat(json(http).get("shed").asLong()).isPositive();
		assertThat(json(http).get("admissionEnabled").asBoolean()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "*/*", "application/problem+json" })
	void memorySafeFailMethodAnswersTheSameProblemWithSpringProblemDetailsOn(String accept) {
		this.probe.setPressure(MemoryPressure.CRITICAL);
		assertRefused(get(this.port, "/open/export", accept), "/open/export", "CRITICAL");
	}

	@Test
	void springsOwnProblemDetailsStillAnswerOtherErrors() {
		HttpResponse<String> notAllowed = delete(this.port, "/api/items");
		assertThat(notAllowed.statusCode()).isEqualTo(405);
		assertThat(json(notAllowed).get("title").asString()).isEqualTo("Method Not Allowed");
	}

}
