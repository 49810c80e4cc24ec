package dev.memoryguard.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the web harnesses' applications from the benchmarks jar with
 * {@code @EnableAutoConfiguration}. The jar also holds what the other benchmarks need:
 * a JDBC driver without a database, and Resilience4j's Spring Boot 3 auto-configurations
 * (for {@code MemorySafeBenchmark}), which refuse to start on Boot 4; those are excluded.
 */
final class WebApplications {

	private WebApplications() {
	}

	static ConfigurableApplicationContext start(Class<?> application, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"spring.main.log-startup-info=false", "logging.level.root=WARN",
				"spring.autoconfigure.exclude=" + String.join(",", excluded())));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(application).web(WebApplicationType.SERVLET)
			.properties(all.toArray(String[]::new))
			.run();
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static List<String> excluded() {
		List<String> excluded = new ArrayList<>();
		excluded.add("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
		for (String candidate : ImportCandidates.load(AutoConfiguration.class, WebApplications.class.getClassLoader())) {
			if (candidate.startsWith("io.github.resilience4j.")) {
				excluded.add(candidate);
			}
		}
		return excluded;
	}

}
