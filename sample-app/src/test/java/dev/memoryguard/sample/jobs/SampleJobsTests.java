package dev.memoryguard.sample.jobs;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
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

	@Test
	void guardedJobsAreKnownAtStartup() {
		assertThat(this.accounting.stats()).containsKeys("nightly-report", "search-index-refresh", "csv-export");
	}

	@Test
	void exportAnswers503WhileMemoryIsCritical() {
		RestClient client = RestClient.create("http://localhost:" + this.port);
		ResponseEntity<String> ok = client.get().uri("/export?rows=3").retrieve().toEntity(String.class);
		assertThat(ok.getBody()).isEqualTo("id,amount\n0,0\n1,3\n2,6\n");
		this.probe.setPressure(MemoryPressure.CRITICAL);
		ResponseEntity<String> refused = client.get()
			.uri("/export?rows=3")
			.retrieve()
			.onStatus((status) -> true, (request, response) -> {
			})
			.toEntity(String.class);
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("30");
		assertThat(this.accounting.stats("csv-export").failed()).isOne();
	}

	@Test
	void reportIsDeferredUnderPressure() {
		this.probe.setPressure(MemoryPressure.CRITICAL);
		long deferred = this.accounting.stats("nightly-report").deferred();
		this.report.buildReport();
		assertThat(this.accounting.stats("nightly-report").deferred()).isEqualTo(deferred + 1);
	}

}
