package dev.memoryguard.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real servlet application on a random port, with a plain HTTP client to talk to it.
 */
public final class RunningWebApplication implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final ConfigurableApplicationContext context;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	private RunningWebApplication(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/**
	 * Starts an application.
	 * @param sources the configuration classes
	 * @param properties properties in {@code key=value} form
	 * @return the running application
	 */
	public static RunningWebApplication start(Class<?>[] sources, String... properties) {
		String[] args = new String[properties.length + 1];
		args[0] = "--server.port=0";
		for (int i = 0; i < properties.length; i++) {
			args[i + 1] = "--" + properties[i];
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(sources)
			.web(WebApplicationType.SERVLET)
			.run(args);
		return new RunningWebApplication(context);
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	public HttpResponse<String> get(String path) {
		return send(request(path).GET());
	}

	public JsonNode getJson(String path) {
		HttpResponse<String> response = get(path);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
					+ response.body());
		}
		return json(response.body());
	}

	public HttpResponse<String> post(String path) {
		return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
	}

	public HttpResponse<String> delete(String path) {
		return send(request(path).DELETE());
	}

	public HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(20));
	}

	public static JsonNode json(String body) {
		return json.readTree(body);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
