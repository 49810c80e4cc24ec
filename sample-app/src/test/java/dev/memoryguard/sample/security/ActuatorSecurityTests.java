package dev.memoryguard.sample.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ActuatorSecurityConfiguration} against the running sample app.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.security.user.password=s3cret")
class ActuatorSecurityTests {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Test
	void readsAreOpen() throws Exception {
		assertThat(send("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/memory", null).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/memory/heap", null).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/prometheus", null).statusCode()).isEqualTo(200);
	}

	@Test
	void writesNeedTheOperator() throws Exception {
		assertThat(send("POST", "/actuator/memory/relieve", null).statusCode()).isEqualTo(401);
		assertThat(send("POST", "/actuator/memory/relieve", "operator:wrong").statusCode()).isEqualTo(401);
		assertThat(send("DELETE", "/actuator/memory/caches/anything", null).statusCode()).isEqualTo(401);
		HttpResponse<String> relieved = send("POST", "/actuator/memory/relieve", "operator:s3cret");
		assertThat(relieved.statusCode()).isEqualTo(200);
		assertThat(relieved.body()).contains("\"trigger\":\"endpoint\"");
		assertThat(send("DELETE", "/actuator/memory/caches/no-such-cache", "operator:s3cret").statusCode())
			.isEqualTo(404);
	}

	private HttpResponse<String> send(String method, String path, String credentials)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(20))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (credentials != null) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
