package dev.memoryguard.benchmarks;

import java.lang.ref.Reference;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The server of {@link SheddingSurvivalBenchmark}, run in a forked small-heap JVM:
 * {@code POST /upload} reads the whole body into memory and holds it for 300 ms. Run with
 * {@code admission} the admission filter is on ({@code Retry-After} 1 s), with
 * {@code unguarded} it is off. Prints {@code READY <port>} once it listens.
 */
public final class UploadServerApplication {

	private UploadServerApplication() {
	}

	public static void main(String[] args) {
		ConfigurableApplicationContext context = WebApplications.start(App.class,
				"memory-guard.web.shed.enabled=" + "admission".equals(args[0]), "memory-guard.web.retry-after=1s",
				"management.endpoints.web.exposure.include=health,memory", "logging.level.dev.memoryguard=INFO");
		System.out.println("READY " + WebApplications.port(context));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Uploads.class)
	static class App {

	}

	@RestController
	static class Uploads {

		@PostMapping("/upload")
		String upload(@RequestBody byte[] body) throws InterruptedException {
			Thread.sleep(300);
			Reference.reachabilityFence(body);
			return Integer.toString(body.length);
		}

	}

}
