package dev.memoryguard.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.actuate.history.MemoryHistory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MemoryGuardDashboard} over HTTP against a running application.
 */
class MemoryGuardDashboardTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void enabledDashboardServesThePageItsAssetsAndUplotWithEtags() throws Exception {
		try (ConfigurableApplicationContext context = DashboardTestApplication.run("memory-guard.dashboard.enabled=true")) {
			String base = "http://localhost:" + DashboardTestApplication.port(context);
			HttpResponse<String> redirect = get(base + "/memory-guard", null);
			assertThat(redirect.statusCode()).isEqualTo(302);
			assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(
					(location) -> assertThat(location).endsWith("/memory-guard/"));
			HttpResponse<String> page = get(base + "/memory-guard/", null);
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/html"));
			assertThat(page.body()).contains("<script src=\"uplot/uPlot.iife.min.js\"></script>");
			for (String asset : new String[] { "/memory-guard/", "/memory-guard/dashboard.js",
					"/memory-guard/dashboard.css", "/memory-guard/uplot/uPlot.iife.min.js",
					"/memory-guard/uplot/uPlot.min.css" }) {
				HttpResponse<String> first = get(base + asset, null);
				assertThat(first.statusCode()).as(asset).isEqualTo(200);
				assertThat(first.body()).as(asset).isNotEmpty();
				assertThat(first.headers().firstValue("Cache-Control")).as(asset).hasValue("no-cache");
				String etag = first.headers().firstValue("ETag").orElseThrow();
				HttpResponse<String> again = get(base + asset, etag);
				assertThat(again.statusCode()).as(asset).isEqualTo(304);
				assertThat(again.body()).as(asset).isEmpty();
			}
			assertThat(get(base + "/memory-guard/uplot/uPlot.iife.min.js", null).body()).contains("uPlot");
			assertThat(get(base + "/memory-guard/config.json", null).body())
				.isEqualTo("{\"endpoint\":\"/actuator/memory\",\"refreshSeconds\":2}");
		}
	}

	@Test
	void dashboardFollowsItsPathTheContextPathAndTheActuatorBasePath() throws Exception {
		try (ConfigurableApplicationContext context = DashboardTestApplication.run("memory-guard.dashboard.enabled=true",
				"memory-guard.dashboard.path=/ops/memory/", "server.servlet.context-path=/app",
				"spring.mvc.servlet.path=/web", "management.endpoints.web.base-path=/manage",
				"management.endpoints.web.exposure.include=memory")) {
			String base = "http://localhost:" + DashboardTestApplication.port(context) + "/app/web";
			assertThat(get(base + "/ops/memory/", null).statusCode()).isEqualTo(200);
			HttpResponse<String> css = get(base + "/ops/memory/uplot/uPlot.min.css", null);
			assertThat(css.statusCode()).isEqualTo(200);
			assertThat(get(base + "/ops/memory/uplot/uPlot.min.css", css.headers().firstValue("ETag").orElseThrow())
				.statusCode()).isEqualTo(304);
			assertThat(get(base + "/ops/memory/config.json", null).body())
				.contains("\"endpoint\":\"/app/web/manage/memory\"");
			assertThat(get("http://localhost:" + DashboardTestApplication.port(context) + "/app/web/manage/memory", null)
				.statusCode()).isEqualTo(200);
			assertThat(get(base + "/memory-guard/", null).statusCode()).isEqualTo(404);
		}
	}

	@Test
	void disabledDashboardIsNotServed() throws Exception {
		try (ConfigurableApplicationContext context = DashboardTestApplication.run()) {
			String base = "http://localhost:" + DashboardTestApplication.port(context);
			assertThat(context.getBeanNamesForType(MemoryGuardDashboard.class)).isEmpty();
			for (String path : new String[] { "/memory-guard", "/memory-guard/", "/memory-guard/index.html",
					"/memory-guard/dashboard.js", "/memory-guard/config.json", "/memory-guard/uplot/uPlot.iife.min.js" }) {
				assertThat(get(base + path, null).statusCode()).as(path).isEqualTo(404);
			}
		}
	}

	@Test
	void dashboardServesNoClassesOrFilesOutsideItsAssets() throws Exception {
		try (ConfigurableApplicationContext context = DashboardTestApplication.run("memory-guard.dashboard.enabled=true")) {
			String base = "http://localhost:" + DashboardTestApplication.port(context);
			for (String path : new String[] { "/memory-guard/MemoryGuardDashboard.class",
					"/memory-guard/../MemoryGuardDashboard.class", "/memory-guard/%2e%2e/MemoryGuardDashboard.class",
					"/memory-guard/uplot/../package.json" }) {
				assertThat(get(base + path, null).statusCode()).as(path).isIn(400, 404);
			}
		}
	}

	@Test
	void historySectionListsPointsWithTheContractNamesOldestFirst() throws Exception {
		try (ConfigurableApplicationContext context = DashboardTestApplication.run(
				"management.endpoints.web.exposure.include=memory")) {
			String base = "http://localhost:" + DashboardTestApplication.port(context);
			context.getBean(ManualMemoryProbe.class).setRss(512L << 20, 1024L << 20);
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.WARNING);
			MemoryHistory history = context.getBean(MemoryHistory.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> history.points().size() >= 2);
			String body = get(base + "/actuator/memory/history", null).body();
			assertThat(body).startsWith("[{\"timestamp\":\"20").contains("\"pressure\":\"WARNING\"",
					"\"liveRatio\":0.7799", "\"usedRatio\":0.7799", "\"rssRatio\":0.5", "\"runs\":0", "\"skipped\":0",
					"\"deferred\":0", "\"failed\":0");
			assertThat(history.capacity()).isEqualTo(3600);
		}
	}

	private HttpResponse<String> get(String uri, String ifNoneMatch) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10));
		if (ifNoneMatch != null) {
			request.header("If-None-Match", ifNoneMatch);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
