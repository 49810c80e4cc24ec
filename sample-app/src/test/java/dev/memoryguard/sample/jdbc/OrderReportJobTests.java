package dev.memoryguard.sample.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OrderReportJob} on the sample's embedded PostgreSQL.
 */
@SpringBootTest(properties = { "sample.jdbc.orders=5000", "sample.jdbc.report-initial-delay=1h" })
@ExtendWith(OutputCaptureExtension.class)
class OrderReportJobTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private JdbcTemplate jdbcTemplate;

	@Autowired
	private OrderReportJob job;

	@Test
	void withoutADataSourceUrlTheSampleRunsOnEmbeddedPostgres() {
		assertThat(this.context.getBeansOfType(EmbeddedPostgres.class)).hasSize(1);
		assertThat(this.jdbcTemplate.queryForObject("select count(*) from sample_order", Long.class)).isEqualTo(5000);
	}

	@Test
	void reportStreamsEveryOrder(CapturedOutput output) {
		this.job.report();
		assertThat(output).contains("Order report: 5000 orders of 1000 customers").contains("in 50 batches");
	}

}
