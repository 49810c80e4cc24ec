package dev.memoryguard.jdbc;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.memoryguard.testsupport.MariaDbServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryAwareJdbc} with MariaDB Connector/J on a MariaDB server started
 * by the tests.
 */
class MemoryAwareJdbcMariaDbConnectorTests extends AbstractMemoryAwareJdbcTests {

	@Override
	JdbcServer server() {
		return MariaDbServers.mariadbConnector();
	}

	@Override
	StreamingMode expectedMode() {
		return StreamingMode.MARIADB_STREAMING;
	}

	@Test
	void earlyStopInATransactionCancelsTheStatementAndTheTransactionGoesOn() {
		MariaDbServer.createBigTable();
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(pool()));
		MemoryAwareJdbc jdbc = new MemoryAwareJdbc(jdbcTemplate(), guard(), 100, 25);
		try (DebugLog log = new DebugLog()) {
			Integer after = transaction.execute((status) -> {
				jdbc.forEachBatch(BatchOptions.defaults().withMaxRows(1000), "select id, payload from mg_big order by id",
						BigRow.ROW, (batch) -> {
						});
				return jdbcTemplate().queryForObject("select count(*) from mg_item", Integer.class);
			});
			assertThat(after).isEqualTo(1000);
			assertThat(log.lines("stream cancelled after 1000 rows (stopped early)")).hasSize(1);
		}
	}

}
