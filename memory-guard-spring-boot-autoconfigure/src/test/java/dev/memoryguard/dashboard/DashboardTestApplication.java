package dev.memoryguard.dashboard;

import java.util.Arrays;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.actuate.history.MemoryHistory;

/**
 * A servlet web application with the actuator and a {@link ManualMemoryProbe}, started on
 * a random port by the dashboard tests.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class DashboardTestApplication {

	@Bean
	ManualMemoryProbe memoryProbe() {
		return new ManualMemoryProbe().setLiveRatio(0.30);
	}

	@Bean
	@ConditionalOnBooleanProperty("demo.caches")
	DemoCaches demoCaches() {
		return new DemoCaches();
	}

	@Bean
	@ConditionalOnBooleanProperty("demo.caches")
	HistoryTrendLeakMonitor historyTrendLeakMonitor(MemoryHistory history) {
		return new HistoryTrendLeakMonitor(history);
	}

	static ConfigurableApplicationContext run(String... properties) {
		return new SpringApplicationBuilder(DashboardTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "memory-guard.sampling.interval=250ms",
					"spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run(Arrays.stream(properties).map((property) -> "--" + property).toArray(String[]::new));
	}

	static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

}
