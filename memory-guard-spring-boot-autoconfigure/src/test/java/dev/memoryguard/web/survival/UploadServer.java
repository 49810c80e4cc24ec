package dev.memoryguard.web.survival;

import java.lang.ref.Reference;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application on Tomcat, run in a forked small-heap JVM by
 * {@link SheddingSurvivalTests}: {@code POST /upload} reads the whole body into memory and
 * holds it for 300 ms, as an upload that is parsed and stored would. Run with
 * {@code admission} the admission filter is on (with the default {@code Retry-After} of
 * 10 s); with {@code unguarded} it is off. Prints {@code READY <port>} once it listens.
 */
public final class UploadServer {

	static final long HOLD_MILLIS = 300;

	private UploadServer() {
	}

	public static void main(String[] args) {
		boolean admission = "admission".equals(args[0]);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.main.log-startup-info=false",
					"memory-guard.web.shed.enabled=" + admission,
					"management.endpoints.web.exposure.include=health,memory", "logging.level.root=WARN",
					"logging.level.dev.memoryguard=INFO")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		System.out.println("READY " + port);
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
			Thread.sleep(HOLD_MILLIS);
			Reference.reachabilityFence(body);
			return Integer.toString(body.length);
		}

	}

}
