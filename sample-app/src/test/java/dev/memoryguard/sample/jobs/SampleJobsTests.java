package dev.memoryguard.sample.jobs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.job.JobAccounting;
import dev.memoryguard.test.TestMemoryProbe;
import dev.memoryguard.test.WithMemoryPressure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the sample's guarded jobs and export. Each test starts at NORMAL; the ones
 * that need pressure in the middle of the test move the injected probe.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.jobs.report-interval=1h", "sample.jobs.index-interval=1h" })
@WithMemoryPressure(MemoryPressure.NORMAL)
class SampleJobsTests {

	@Autowired
	private TestMemoryProbe probe;

	@Autowired
	private JobAccounting accounting;

	@Autowired
	private NightlyReportJob report;

	@Value("${local.server.port}")
	private int port;

	@AfterEach
	void normal() {
		this.probe.setHeapMax(TestMemoryProbe.DEFAULT_HEAP_MAX).setPressure(MemoryPressure.NORMAL);
	}

	@Test
	void guardedJobsAreKnownAtStartup() {
		assertThat(this.accounting.stats()).containsKeys("nightly-report", "search-index-refresh", "csv-export");
	}

	@Test
	void exportIsRefusedBeforeItIsReadWhileMemoryIsCritical() {
		ResponseEntity<String> ok = export();
		assertThat(ok.getBody()).isEqualTo("id,amount\n0,0\n1,3\n2,6\n");
		long failed = this.accounting.stats("csv-export").failed();
		this.probe.setPressure(MemoryPressure.CRITICAL);
		JsonNode problem = assertRefused(export(), "CRITICAL");
		assertThat(problem.get("detail").asString()).contains("takes no new requests");
		assertThat(this.accounting.stats("csv-export").failed()).isEqualTo(failed);
	}

	@Test
	void exportThatDoesNotFitTheHeadroomIsRefusedByItsGuard() {
		// 100 MB heap, 60% live: 25 MB left under the critical threshold, the export needs 32 MB
		this.probe.setHeapMax(100L * 1024 * 1024).setLiveRatio(0.60);
		long failed = this.accounting.stats("csv-export").failed();
		JsonNode problem = assertRefused(export(), "NORMAL");
		assertThat(problem.get("detail").asString()).contains("refused this request");
		assertThat(this.accounting.stats("csv-export").failed()).isEqualTo(failed + 1);
	}

	private ResponseEntity<String> export() {
		return RestClient.create("http://localhost:" + this.port)
			.get()
			.uri("/export?rows=3")
			.retrieve()
			.onStatus((status) -> true, (request, response) -> {
			})
			.toEntity(String.class);
	}

	private static JsonNode assertRefused(ResponseEntity<String> refused, String pressure) {
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(Integer.parseInt(refused.getHeaders().getFirst("Retry-After"))).isBetween(24, 36);
		assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = JsonMapper.builder().build().readTree(refused.getBody());
		assertThat(problem.get("type").asString()).isEqualTo("urn:memory-guard:problem:memory-pressure");
		assertThat(problem.get("status").asInt()).isEqualTo(503);
		assertThat(problem.get("instance").asString()).isEqualTo("/export");
		assertThat(problem.get("pressure").asString()).isEqualTo(pressure);
		assertThat(problem.get("retryAfter").asInt())
			.isEqualTo(Integer.parseInt(refused.getHeaders().getFirst("Retry-After")));
		return problem;
	}

	@Test
	void reportIsDeferredUnderPressure() {
		this.probe.setPressure(MemoryPressure.CRITICAL);
		long deferred = this.accounting.stats("nightly-report").deferred();
		this.report.buildReport();
		assertThat(this.accounting.stats("nightly-report").deferred()).isEqualTo(deferred + 1);
	}

}
