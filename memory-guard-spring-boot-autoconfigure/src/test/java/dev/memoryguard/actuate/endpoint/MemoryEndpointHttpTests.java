package dev.memoryguard.actuate.endpoint;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeType;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryReliefAction;
import dev.memoryguard.container.ContainerUsage;
import dev.memoryguard.relief.ActionReport;
import dev.memoryguard.relief.MemoryRelief;
import dev.memoryguard.relief.ReliefReport;
import dev.memoryguard.testsupport.RunningWebApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryEndpoint} over real HTTP.
 */
class MemoryEndpointHttpTests {

	private static final String SECRET_KEY = "customer-4711-iban";

	private static final String SECRET_VALUE = "DE44500105175407324931";

	private static final Set<String> SECTIONS = Set.of("thresholds", "heap", "nonHeap", "directBuffers", "process",
			"gc", "caches", "jobs", "leak", "gcSelf", "http");

	@Test
	void fullDocumentHasEveryContractFieldWithItsJsonType() {
		try (RunningWebApplication app = start(new Class<?>[] { Base.class, CachesAndRelief.class },
				"memory-guard.leak.window=30m")) {
			app.bean(MemoryGuard.class).execute("nightly-report", () -> new byte[4096]);
			JsonNode memory = app.getJson("/actuator/memory");
			assertThat(memory.get("pressure").asString()).isIn("NORMAL", "WARNING", "CRITICAL");
			assertThat(Instant.parse(memory.get("timestamp").asString())).isBeforeOrEqualTo(Instant.now());
			assertThat(Duration.parse(memory.get("uptime").asString())).isPositive();
			assertTypes(memory.get("thresholds"), JsonNodeType.NUMBER, "warning", "critical");
			assertThat(memory.get("thresholds").get("warning").asDouble()).isEqualTo(0.70);
			assertThat(memory.get("thresholds").get("critical").asDouble()).isEqualTo(0.85);
			JsonNode heap = memory.get("heap");
			assertTypes(heap, JsonNodeType.NUMBER, "used", "committed", "max", "usedRatio", "liveAfterGc", "liveRatio");
			assertThat(heap.get("max").asLong()).isEqualTo(Runtime.getRuntime().maxMemory());
			assertThat(heap.get("usedRatio").asDouble()).isBetween(0.0, 1.0);
			assertThat(heap.get("liveRatio").asDouble()).isBetween(0.0, 1.0);
			assertTypes(memory.get("nonHeap"), JsonNodeType.NUMBER, "used", "committed");
			assertThat(memory.get("nonHeap").get("used").asLong()).isPositive();
			assertTypes(memory.get("directBuffers"), JsonNodeType.NUMBER, "used", "count");
			JsonNode process = memory.get("process");
			assertTypes(process, JsonNodeType.NUMBER, "rss");
			assertThat(process.get("rss").asLong()).isPositive();
			assertNumberOrNull(process, "limit", "ratio", "workingSet", "outsideHeap", "high", "oomKills",
					"pressureStall");
			assertThat(process.has("cgroup")).isTrue();
			if (process.get("limit").isNull()) {
				// outside a limited cgroup every figure of the cgroup is null, never 0
				assertThat(List.of("ratio", "workingSet", "outsideHeap", "high", "oomKills", "pressureStall", "cgroup"))
					.allSatisfy((field) -> assertThat(process.get(field).isNull()).as(field).isTrue());
			}
			JsonNode gcSelf = memory.get("gcSelf");
			assertTypes(gcSelf, JsonNodeType.NUMBER, "requested", "share");
			assertTypes(gcSelf, JsonNodeType.STRING, "pauseTotal");
			assertTypes(gcSelf, JsonNodeType.BOOLEAN, "explicitGcDisabled");
			JsonNode gc = memory.get("gc");
			assertTypes(gc, JsonNodeType.NUMBER, "collections", "overhead");
			assertTypes(gc, JsonNodeType.STRING, "pauseTotal", "collector");
			assertThat(Duration.parse(gc.get("pauseTotal").asString()).isNegative()).isFalse();
			JsonNode cache = memory.get("caches").get("customers");
			assertTypes(cache, JsonNodeType.NUMBER, "size", "weightedSize", "hitRatio", "evictions");
			assertNumberOrNull(cache, "maxEntries", "maxSize");
			assertThat(cache.get("maxSize").isNull()).isTrue();
			assertThat(cache.get("size").asLong()).isEqualTo(1);
			JsonNode job = memory.get("jobs").get("nightly-report");
			assertTypes(job, JsonNodeType.NUMBER, "runs", "skipped", "deferred", "failed", "lastAllocated",
					"maxAllocated");
			assertTypes(job, JsonNodeType.STRING, "lastDuration");
			assertThat(job.get("runs").asLong()).isEqualTo(1);
			assertThat(job.get("lastAllocated").asLong()).isGreaterThanOrEqualTo(4096);
			JsonNode leak = memory.get("leak");
			assertTypes(leak, JsonNodeType.BOOLEAN, "suspected");
			assertTypes(leak, JsonNodeType.NUMBER, "growthRatio");
			assertTypes(leak, JsonNodeType.STRING, "window");
			assertThat(leak.get("window").asString()).isEqualTo("PT30M");
			assertThat(leak.has("exhaustionForecast")).isTrue();
			assertThat(leak.get("exhaustionForecast").isNull()).isTrue();
			assertThat(memory.propertyNames()).containsAll(SECTIONS).contains("pressure", "timestamp", "uptime");
		}
	}

	@Test
	void processSectionShowsTheCgroupAsTheKernelCountsIt() {
		try (RunningWebApplication app = start(new Class<?>[] { Base.class, Probe.class })) {
			long mb = 1024 * 1024;
			app.bean(ManualMemoryProbe.class)
				.setHeapMax(1024 * mb)
				.setContainer(new ContainerUsage(2, "/kubepods.slice/pod1", 2048 * mb, 1800 * mb, 1500 * mb,
						1400 * mb, 2, 0.031));
			JsonNode process = app.getJson("/actuator/memory/process");
			assertThat(process.get("limit").asLong()).isEqualTo(2048 * mb);
			assertThat(process.get("workingSet").asLong()).isEqualTo(1400 * mb);
			assertThat(process.get("high").asLong()).isEqualTo(1800 * mb);
			assertThat(process.get("oomKills").asLong()).isEqualTo(2);
			assertThat(process.get("pressureStall").asDouble()).isEqualTo(0.031);
			// 376 MB outside the committed heap, of the 1024 MB the limit leaves beyond it
			assertThat(process.get("outsideHeap").asDouble()).isCloseTo(376.0 / 1024,
					org.assertj.core.data.Offset.offset(0.001));
			assertThat(process.get("ratio").asDouble()).isEqualTo(process.get("outsideHeap").asDouble());
			assertThat(process.get("cgroup").get("version").asInt()).isEqualTo(2);
			assertThat(process.get("cgroup").get("path").asString()).isEqualTo("/kubepods.slice/pod1");
		}
	}

	@Test
	void eachSectionIsServedBareAndEqualsItsPartOfTheDocument() {
		try (RunningWebApplication app = start(new Class<?>[] { Base.class, CachesAndRelief.class, Probe.class })) {
			app.bean(ManualMemoryProbe.class).setHeapMax(512L * 1024 * 1024).setRss(300_000_000L, 400_000_000L);
			JsonNode memory = app.getJson("/actuator/memory");
			assertThat(memory.get("process").get("limit").asLong()).isEqualTo(400_000_000L);
			// a limit below max heap leaves no room outside it: working set over limit
			assertThat(memory.get("process").get("ratio").asDouble()).isEqualTo(0.75);
			assertThat(memory.get("process").get("outsideHeap").isNull()).isTrue();
			for (String section : SECTIONS) {
				assertThat(app.getJson("/actuator/memory/" + section)).as(section).isEqualTo(memory.get(section));
			}
			assertThat(app.getJson("/actuator/memory/heap").get("max").asLong()).isEqualTo(512L * 1024 * 1024);
			assertThat(app.get("/actuator/memory/no-such-section").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void writeOperationsAreRefusedByDefault() {
		try (RunningWebApplication app = start(new Class<?>[] { Base.class, CachesAndRelief.class })) {
			assertThat(app.post("/actuator/memory/relieve").statusCode()).isEqualTo(405);
			assertThat(app.delete("/actuator/memory/caches/customers").statusCode()).isIn(404, 405);
			assertThat(app.bean(RecordingRelief.class).calls).hasValue(0);
			assertThat(app.bean(InMemoryCacheRegistry.class).size("customers")).isEqualTo(1);
			assertThat(app.get("/actuator/memory").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void writeOperationsRunWhenAccessIsUnrestricted() {
		try (RunningWebApplication app = start(new Class<?>[] { Base.class, CachesAndRelief.class },
				"management.endpoint.memory.access=unrestricted")) {
			HttpResponse<String> relieved = app.post("/actuator/memory/relieve");
			assertThat(relieved.statusCode()).isEqualTo(200);
			JsonNode report = RunningWebApplication.json(relieved.body());
			assertThat(report.get("trigger").asString()).isEqualTo("endpoint");
			assertThat(report.get("freed").asLong()).isEqualTo(600);
			assertThat(report.get("actions").get(0).get("duration").asString()).isEqualTo("PT0.003S");
			assertThat(report.get("actions").get(0).get("error").isNull()).isTrue();
			assertThat(app.bean(RecordingRelief.class).calls).hasValue(1);
			assertThat(app.post("/actuator/memory/something-else").statusCode()).isEqualTo(404);
			HttpResponse<String> cleared = app.delete("/actuator/memory/caches/customers");
			assertThat(cleared.statusCode()).isEqualTo(200);
			JsonNode freed = RunningWebApplication.json(cleared.body());
			assertThat(freed.get("cache").asString()).isEqualTo("customers");
			assertThat(freed.get("freed").asLong()).isEqualTo(SECRET_KEY.length() + SECRET_VALUE.length());
			assertThat(app.bean(InMemoryCacheRegistry.class).size("customers")).isZero();
			assertThat(app.delete("/actuator/memory/caches/no-such-cache").statusCode()).isEqualTo(404);
			assertThat(app.delete("/actuator/memory/jobs/customers").statusCode()).isEqualTo(404);
			assertThat(app.bean(RecordingRelief.class).calls).hasValue(1);
		}
	}

	@Test
	void relieveWithoutMemoryReliefRunsNothingAndReturnsAnEmptyReport() {
		try (RunningWebApplication app = start(new Class<?>[] { Base.class, Probe.class },
				"management.endpoint.memory.access=unrestricted",
				"spring.autoconfigure.exclude=dev.memoryguard.autoconfigure.MemoryGuardReliefAutoConfiguration,"
						+ "dev.memoryguard.autoconfigure.MemoryGuardCacheAutoConfiguration")) {
			HttpResponse<String> relieved = app.post("/actuator/memory/relieve");
			assertThat(relieved.statusCode()).isEqualTo(200);
			JsonNode report = RunningWebApplication.json(relieved.body());
			assertThat(report.get("freed").asLong()).isZero();
			assertThat(report.get("actions").isEmpty()).isTrue();
			assertThat(report.get("liveBefore").asLong()).isEqualTo(report.get("liveAfter").asLong())
				.isEqualTo((long) (ManualMemoryProbe.DEFAULT_HEAP_MAX * 0.10));
			assertThat(app.delete("/actuator/memory/caches/customers").statusCode()).isEqualTo(404);
			assertThat(app.getJson("/actuator/memory/caches").isEmpty()).isTrue();
		}
	}

	@Test
	void relieveRunsEveryReliefActionAndReportsWhatEachFreed() {
		try (RunningWebApplication app = start(new Class<?>[] { Base.class, Probe.class, ReliefActions.class },
				"management.endpoint.memory.access=unrestricted")) {
			HttpResponse<String> relieved = app.post("/actuator/memory/relieve");
			assertThat(relieved.statusCode()).isEqualTo(200);
			JsonNode report = RunningWebApplication.json(relieved.body());
			assertThat(report.get("freed").asLong()).isGreaterThanOrEqualTo(4096);
			List<String> names = new java.util.ArrayList<>();
			report.get("actions").forEach((action) -> names.add(action.get("name").asText()));
			assertThat(names).contains("drop-buffers", "failing");
			report.get("actions").forEach((action) -> {
				if (action.get("name").asText().equals("failing")) {
					assertThat(action.get("succeeded").asBoolean()).isFalse();
				}
			});
		}
	}

	@Test
	void outputHoldsNoCacheKeyOrValue() {
		try (RunningWebApplication app = start(new Class<?>[] { Base.class, CachesAndRelief.class })) {
			String document = app.get("/actuator/memory").body();
			String caches = app.get("/actuator/memory/caches").body();
			assertThat(document).contains("customers").doesNotContain(SECRET_KEY).doesNotContain(SECRET_VALUE);
			assertThat(caches).contains("customers").doesNotContain(SECRET_KEY).doesNotContain(SECRET_VALUE);
		}
	}

	private static RunningWebApplication start(Class<?>[] sources, String... properties) {
		String[] all = new String[properties.length + 2];
		all[0] = "management.endpoints.web.exposure.include=health,memory";
		all[1] = "spring.main.banner-mode=off";
		System.arraycopy(properties, 0, all, 2, properties.length);
		return RunningWebApplication.start(sources, all);
	}

	private static void assertTypes(JsonNode node, JsonNodeType type, String... fields) {
		for (String field : fields) {
			assertThat(node.has(field)).as("field '%s' in %s", field, node).isTrue();
			assertThat(node.get(field).getNodeType()).as("type of '%s' in %s", field, node).isEqualTo(type);
		}
	}

	private static void assertNumberOrNull(JsonNode node, String... fields) {
		for (String field : fields) {
			assertThat(node.has(field)).as("field '%s' in %s", field, node).isTrue();
			assertThat(node.get(field).getNodeType()).as("type of '%s' in %s", field, node)
				.isIn(JsonNodeType.NUMBER, JsonNodeType.NULL);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	static class Base {

	}

	@Configuration(proxyBeanMethods = false)
	static class Probe {

		@Bean
		ManualMemoryProbe memoryProbe() {
			return new ManualMemoryProbe();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CachesAndRelief {

		@Bean
		InMemoryCacheRegistry guardedCacheRegistry() {
			InMemoryCacheRegistry registry = new InMemoryCacheRegistry();
			registry.put("customers", SECRET_KEY, SECRET_VALUE);
			return registry;
		}

		@Bean
		RecordingRelief memoryRelief() {
			return new RecordingRelief();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReliefActions {

		@Bean
		MemoryReliefAction dropBuffers() {
			return new MemoryReliefAction() {

				@Override
				public long relieve(MemoryPressure pressure) {
					return 4096;
				}

				@Override
				public String name() {
					return "drop-buffers";
				}

			};
		}

		@Bean
		MemoryReliefAction failing() {
			return new MemoryReliefAction() {

				@Override
				public long relieve(MemoryPressure pressure) {
					throw new IllegalStateException("cannot relieve");
				}

				@Override
				public String name() {
					return "failing";
				}

			};
		}

	}

	static class RecordingRelief implements MemoryRelief {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public ReliefReport relieve(String trigger) {
			this.calls.incrementAndGet();
			return new ReliefReport(trigger, Instant.now(), 1000, 400, 600,
					List.of(new ActionReport("caches", true, 600, Duration.ofMillis(3), null)));
		}

	}

}
