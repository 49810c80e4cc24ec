package dev.memoryguard.testsupport;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EmbeddedPostgres}.
 */
class EmbeddedPostgresTests {

	@Test
	void serverAnswersQueries() {
		JdbcTemplate jdbc = new JdbcTemplate(EmbeddedPostgres.dataSource());
		assertThat(jdbc.queryForObject("select current_setting('server_version_num')::int", Integer.class))
			.isGreaterThanOrEqualTo(170000);
	}

}
