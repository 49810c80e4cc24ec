package dev.memoryguard.web;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real HTTP client for the web tests, and what a refusal must look like.
 */
public final class WebClients {

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private WebClients() {
	}

	public static HttpResponse<String> get(int port, String path) {
		return get(port, path, "*/*");
	}

	public static HttpResponse<String> get(int port, String path, String accept) {
		return send(request(port, path).header("Accept", accept).GET());
	}

	public static HttpResponse<String> delete(int port, String path) {
		return send(request(port, path).DELETE());
	}

	/**
	 * POSTs a body of {@code bytes} bytes. (The JDK's client cannot be asked for
	 * {@code Expect: 100-continue} here: on JDK 17 it waits forever for a 100 that a refusal
	 * never sends; see {@link #postExpectingContinue}.)
	 */
	public static HttpResponse<String> post(int port, String path, int bytes) {
		return send(post(request(port, path), bytes));
	}

	public static CompletableFuture<HttpResponse<String>> postAsync(int port, String path, int bytes) {
		return client.sendAsync(post(request(port, path), bytes).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest.Builder post(HttpRequest.Builder request, int bytes) {
		return request.header("Content-Type", "application/octet-stream")
			.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[bytes]));
	}

	private static HttpRequest.Builder request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(20));
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * POSTs the way curl sends uploads: the headers with {@code Expect: 100-continue}
	 * first, the body only once the server answers {@code 100 Continue}.
	 * @return the final response, and whether the body was sent
	 */
	public static ContinueResult postExpectingContinue(int port, String path, int bytes) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + port
					+ "\r\nContent-Type: application/octet-stream\r\nExpect: 100-continue\r\nContent-Length: " + bytes
					+ "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = new BufferedInputStream(socket.getInputStream());
			String head = readHead(in);
			boolean sent = false;
			if (head.startsWith("HTTP/1.1 100")) {
				out.write(new byte[bytes]);
				out.flush();
				sent = true;
				head = readHead(in);
			}
			int status = Integer.parseInt(head.substring(9, 12));
			String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			return new ContinueResult(status, head, body, sent);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("connection closed after: " + head);
			}
			head.append((char) b);
		}
		return head.toString();
	}

	/**
	 * A response to {@link #postExpectingContinue}.
	 *
	 * @param status the final status
	 * @param head the status line and headers
	 * @param body the body (chunked transfer coding left in)
	 * @param bodySent whether the server asked for the body
	 */
	public record ContinueResult(int status, String head, String body, boolean bodySent) {
	}

	public static JsonNode json(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	/**
	 * Asserts that {@code response} is the contract's refusal: 503, {@code Retry-After} in
	 * seconds within 20% of the default 10, an {@code application/problem+json} body with the same
	 * number, the path as instance and nothing about the heap.
	 */
	public static JsonNode assertRefused(HttpResponse<String> response, String path, String pressure) {
		return assertRefused(response, path, pressure, 10);
	}

	/**
	 * Asserts the same with {@code memory-guard.web.retry-after} set to {@code seconds}.
	 */
	public static JsonNode assertRefused(HttpResponse<String> response, String path, String pressure, long seconds) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
		String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
		assertThat(retryAfter).as("Retry-After").isNotNull().matches("\\d+");
		assertThat(Long.parseLong(retryAfter)).isBetween(Math.max(1, Math.round(seconds * 0.8)),
				Math.round(seconds * 1.2));
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json(response);
		assertThat(problem.get("type").asString()).isEqualTo("urn:memory-guard:problem:memory-pressure");
		assertThat(problem.get("title").asString()).isEqualTo("Memory is short");
		assertThat(problem.get("status").asInt()).isEqualTo(503);
		assertThat(problem.get("detail").asString()).isNotBlank().contains("Try again in " + retryAfter + " s");
		assertThat(problem.get("instance").asString()).isEqualTo(path);
		assertThat(problem.get("pressure").asString()).isEqualTo(pressure);
		assertThat(problem.get("retryAfter").asInt()).isEqualTo(Integer.parseInt(retryAfter));
		assertThat(problem.propertyNames()).containsExactlyInAnyOrder("type", "title", "status", "detail",
				"instance", "pressure", "retryAfter");
		assertThat(response.body()).doesNotContainIgnoringCase("heap")
			.doesNotContain("MB")
			.doesNotContain("Exception")
			.doesNotContain("dev.memoryguard");
		return problem;
	}

}
