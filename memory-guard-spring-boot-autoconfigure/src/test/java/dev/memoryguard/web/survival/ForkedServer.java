package dev.memoryguard.web.survival;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.memoryguard.testsupport.TestClasspath;

/**
 * {@link UploadServer} in a JVM of its own, on the share of the test class path a Spring
 * MVC application with the actuator needs.
 */
final class ForkedServer implements AutoCloseable {

	private static final List<String> WEB = List.of("spring-boot", "spring-boot-autoconfigure", "spring-boot-webmvc",
			"spring-boot-servlet", "spring-boot-web-server", "spring-boot-tomcat", "spring-boot-http-converter",
			"spring-boot-jackson", "spring-boot-actuator", "spring-boot-actuator-autoconfigure", "spring-boot-health",
			"spring-boot-micrometer-metrics", "spring-boot-micrometer-observation", "spring-web", "spring-webmvc",
			"tomcat-embed-core", "tomcat-embed-el", "jackson-databind", "jackson-core", "jackson-annotations",
			"micrometer-core", "HdrHistogram", "LatencyUtils", "jakarta.annotation-api", "snakeyaml", "log4j-api",
			"log4j-to-slf4j", "jul-to-slf4j", "commons-logging", "micrometer-jakarta9");

	private final Process process;

	private final StringBuffer output = new StringBuffer();

	private final CompletableFuture<Integer> port = new CompletableFuture<>();

	private ForkedServer(Process process) {
		this.process = process;
		Thread reader = new Thread(this::read, "forked-server-output");
		reader.setDaemon(true);
		reader.start();
	}

	static ForkedServer start(String mode, String maxHeap) throws Exception {
		List<String> classpath = new ArrayList<>(TestClasspath.CORE);
		classpath.addAll(WEB);
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx" + maxHeap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-cp",
				TestClasspath.only(classpath), UploadServer.class.getName(), mode);
		ForkedServer server = new ForkedServer(new ProcessBuilder(command).redirectErrorStream(true).start());
		try {
			server.port.get(90, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			server.close();
			throw new IllegalStateException("Upload server did not start:\n" + server.output(), ex);
		}
		return server;
	}

	private void read() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.output.append(line).append('\n');
				if (line.startsWith("READY ")) {
					this.port.complete(Integer.parseInt(line.substring(6).trim()));
				}
			}
		}
		catch (IOException ex) {
			this.output.append("[output lost: ").append(ex).append("]\n");
		}
		this.port.completeExceptionally(new IllegalStateException("exited"));
	}

	int port() {
		return this.port.join();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	String output() {
		return this.output.toString();
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

}
