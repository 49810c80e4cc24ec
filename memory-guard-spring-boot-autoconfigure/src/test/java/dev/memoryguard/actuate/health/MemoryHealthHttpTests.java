package dev.memoryguard.actuate.health;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.testsupport.RunningWebApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for the {@code memory} health contributor and readiness over real HTTP.
 */
class MemoryHealthHttpTests {

	@Test
	void healthIsUpAtNormalAndWarningAndOutOfServiceAtCritical() {
		try (RunningWebApplication app = start()) {
			ManualMemoryProbe probe = app.bean(ManualMemoryProbe.class);
			JsonNode normal = app.getJson("/actuator/health/memory");
			assertThat(normal.get("status").asString()).isEqualTo("UP");
			assertThat(normal.get("details").get("level").asString()).isEqualTo("NORMAL");
			assertThat(normal.get("details").get("liveRatio").asDouble()).isCloseTo(0.10, within(1e-6));
			assertThat(normal.get("details").get("thresholds").get("warning").asDouble()).isEqualTo(0.70);
			assertThat(normal.get("details").get("thresholds").get("critical").asDouble()).isEqualTo(0.85);
			probe.setPressure(MemoryPressure.WARNING);
			JsonNode warning = app.getJson("/actuator/health/memory");
			assertThat(warning.get("status").asString()).isEqualTo("UP");
			assertThat(warning.get("details").get("level").asString()).isEqualTo("WARNING");
			probe.setPressure(MemoryPressure.CRITICAL);
			var critical = app.get("/actuator/health/memory");
			assertThat(critical.statusCode()).isEqualTo(503);
			JsonNode body = RunningWebApplication.json(critical.body());
			assertThat(body.get("status").asString()).isEqualTo("OUT_OF_SERVICE");
			assertThat(body.get("details").get("level").asString()).isEqualTo("CRITICAL");
			assertThat(body.get("details").get("liveRatio").asDouble()).isCloseTo(0.95, within(1e-6));
			probe.setPressure(MemoryPressure.NORMAL);
			assertThat(app.getJson("/actuator/health/memory").get("status").asString()).isEqualTo("UP");
		}
	}

	@Test
	void criticalRefusesTrafficAndRecoveryAcceptsItAgainWhileLivenessStaysCorrect() {
		try (RunningWebApplication app = start("memory-guard.readiness.enabled=true")) {
			ManualMemoryProbe probe = app.bean(ManualMemoryProbe.class);
			assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
			probe.setPressure(MemoryPressure.CRITICAL);
			assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
			assertThat(status(app, "/actuator/health/readiness")).isEqualTo("OUT_OF_SERVICE");
			assertThat(app.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
			probe.setPressure(MemoryPressure.WARNING);
			assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
			assertThat(app.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void readinessIsLeftAloneByDefault() {
		try (RunningWebApplication app = start()) {
			app.bean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
			assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
			assertThat(app.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		}
	}

	private static String status(RunningWebApplication app, String path) {
		return RunningWebApplication.json(app.get(path).body()).get("status").asString();
	}

	private static RunningWebApplication start(String... properties) {
		String[] all = new String[properties.length + 3];
		all[0] = "management.endpoints.web.exposure.include=health";
		all[1] = "management.endpoint.health.show-details=always";
		all[2] = "management.endpoint.health.probes.enabled=true";
		System.arraycopy(properties, 0, all, 3, properties.length);
		return RunningWebApplication.start(new Class<?>[] { Config.class }, all);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	static class Config {

		@Bean
		ManualMemoryProbe memoryProbe() {
			return new ManualMemoryProbe();
		}

	}

}
