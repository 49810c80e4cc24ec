package dev.memoryguard.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.memoryguard.testsupport.MariaDbServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MemoryAwareJdbc} with MySQL Connector/J (row streaming) on a MariaDB
 * server started by the tests.
 */
class MemoryAwareJdbcMySqlConnectorTests extends AbstractMemoryAwareJdbcTests {

	private static final String BIG = "select id, payload from mg_big order by id";

	@Override
	JdbcServer server() {
		return MariaDbServers.mysqlConnector("");
	}

	@Override
	StreamingMode expectedMode() {
		return StreamingMode.MYSQL_ROW_STREAMING;
	}

	@Test
	void statementTheDriverRefusesOnTheStreamsConnectionSaysWhyWithTheDriversExceptionAsCause() throws SQLException {
		try (Connection raw = DriverManager.getConnection(server().url(), "app", "app")) {
			JdbcTemplate onOne = new JdbcTemplate(new SingleConnectionDataSource(raw, true));
			MemoryAwareJdbc jdbc = new MemoryAwareJdbc(onOne, guard(), 100, 25);
			assertThatExceptionOfType(InvalidDataAccessApiUsageException.class)
				.isThrownBy(() -> jdbc.forEachBatch("select id from mg_item order by id", (rs, rowNum) -> rs.getLong(1),
						(batch) -> onOne.queryForObject("select count(*) from mg_item", Integer.class)))
				.withMessageContaining("With MySQL Connector/J")
				.withMessageContaining("row streaming")
				.havingCause()
				.isInstanceOf(SQLException.class)
				.withMessageContaining("Streaming result set");
			// the stream was closed: the connection runs statements again
			assertThat(onOne.queryForObject("select count(*) from mg_item", Integer.class)).isEqualTo(1000);
		}
	}

	@Test
	void forEachPageTakesABacktickQuotedKeyColumn() {
		List<Long> ids = new ArrayList<>();
		BatchResult result = new MemoryAwareJdbc(jdbcTemplate(), guard(), 100, 25).forEachPage(
				KeysetQuery.of("select id from mg_item", "`id`", (rs, rowNum) -> rs.getLong(1), (id) -> id),
				ids::addAll);
		assertThat(ids).hasSize(1000).isSorted();
		assertThat(result.rows()).isEqualTo(1000);
	}

	@Test
	void earlyStopInATransactionReadsTheRestOnCloseAndTheTransactionGoesOn() {
		MariaDbServer.createBigTable();
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(pool()));
		MemoryAwareJdbc jdbc = new MemoryAwareJdbc(jdbcTemplate(), guard(), 100, 25);
		try (DebugLog log = new DebugLog()) {
			Integer after = transaction.execute((status) -> {
				jdbc.forEachBatch(BatchOptions.defaults().withMaxRows(1000), BIG, BigRow.ROW, (batch) -> {
				});
				return jdbcTemplate().queryForObject("select count(*) from mg_item", Integer.class);
			});
			assertThat(after).isEqualTo(1000);
			// Connector/J cannot cancel a stream once executeQuery has returned: it reads the rest
			assertThat(log.lines("stream closed after 1000 rows (stopped early)")).hasSize(1);
		}
	}

	@Test
	void closeLongerThanTheCloseTimeoutAbortsTheConnectionAndFailsTheTransaction() {
		MariaDbServer.createBigTable();
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(pool()));
		// reading a million unread rows takes longer than 100 ms
		MemoryAwareJdbc jdbc = new MemoryAwareJdbc(jdbcTemplate(), guard(), 100, 25, Duration.ofMillis(100));
		List<Throwable> application = new ArrayList<>();
		try (DebugLog log = new DebugLog()) {
			assertThatExceptionOfType(TransactionSystemException.class)
				.isThrownBy(() -> transaction.executeWithoutResult((status) -> {
					try {
						jdbc.forEachBatch(BatchOptions.defaults().withMaxRows(1000), BIG, BigRow.ROW,
								(batch) -> {
								});
					}
					catch (RuntimeException ex) {
						application.add(ex);
						throw ex;
					}
				}));
			assertThat(log.lines("stream aborted after 1000 rows (stopped early)")).hasSize(1);
		}
		assertThat(application).singleElement()
			.isInstanceOf(DataAccessResourceFailureException.class)
			.asString()
			.contains("could not close the stream: Closing the stream took longer than "
					+ "memory-guard.jdbc.close-timeout (100ms): the connection was aborted");
		assertThat(jdbcTemplate().queryForObject("select count(*) from mg_item", Integer.class)).isEqualTo(1000);
	}

}
