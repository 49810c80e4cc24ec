package dev.memoryguard.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StreamingMode}: which mode the driver names and versions that the
 * drivers report get.
 */
class StreamingModeTests {

	@Test
	void postgresqlStreamsThroughACursorWithAutoCommitOff() {
		StreamingMode mode = StreamingMode.of("PostgreSQL JDBC Driver", 42, "jdbc:postgresql://db/shop");
		assertThat(mode).isEqualTo(StreamingMode.POSTGRESQL);
		assertThat(mode.fetchSize(1000)).isEqualTo(1000);
		assertThat(mode.switchesAutoCommit()).isTrue();
		assertThat(mode.holdsConnection()).isFalse();
	}

	@Test
	void mysqlConnectorRowStreamsUnlessTheUrlAsksForACursor() {
		StreamingMode streaming = StreamingMode.of("MySQL Connector/J", 9, "jdbc:mysql://db:3306/shop?useSSL=false");
		assertThat(streaming).isEqualTo(StreamingMode.MYSQL_ROW_STREAMING);
		assertThat(streaming.fetchSize(1000)).isEqualTo(Integer.MIN_VALUE);
		assertThat(streaming.switchesAutoCommit()).isFalse();
		assertThat(streaming.holdsConnection()).isTrue();
		assertThat(streaming.cancelStopsStream()).isFalse();
		assertThat(StreamingMode.of("MySQL Connector/J", 8, "jdbc:mysql://db/shop?useSSL=false&useCursorFetch=TRUE"))
			.isEqualTo(StreamingMode.MYSQL_CURSOR_FETCH);
		assertThat(StreamingMode.of("MySQL Connector/J", 9, "jdbc:mysql://db/shop?useCursorFetch=true"))
			.isEqualTo(StreamingMode.MYSQL_CURSOR_FETCH)
			.satisfies((mode) -> assertThat(mode.fetchSize(1000)).isEqualTo(1000))
			.satisfies((mode) -> assertThat(mode.holdsConnection()).isFalse());
		assertThat(StreamingMode.of("MySQL Connector/J", 9, "jdbc:mysql://db/shop?useCursorFetch=false"))
			.isEqualTo(StreamingMode.MYSQL_ROW_STREAMING);
		assertThat(StreamingMode.of("MySQL Connector/J", 9, "jdbc:mysql://db/shop?xuseCursorFetch=true"))
			.isEqualTo(StreamingMode.MYSQL_ROW_STREAMING);
	}

	@Test
	void mariadbConnectorStreamsWithAPositiveFetchSizeSince2() {
		StreamingMode mode = StreamingMode.of("MariaDB Connector/J", 3, "jdbc:mariadb://db/shop");
		assertThat(mode).isEqualTo(StreamingMode.MARIADB_STREAMING);
		assertThat(mode.fetchSize(1000)).isEqualTo(1000);
		assertThat(mode.holdsConnection()).isTrue();
		assertThat(mode.cancelStopsStream()).isTrue();
		assertThat(StreamingMode.of("MariaDB Connector/J", 2, null)).isEqualTo(StreamingMode.MARIADB_STREAMING);
		assertThat(StreamingMode.of("MariaDB Connector/J", 1, null)).isEqualTo(StreamingMode.MARIADB_ROW_STREAMING)
			.satisfies((old) -> assertThat(old.fetchSize(1000)).isEqualTo(Integer.MIN_VALUE));
	}

	@Test
	void otherDriversGetAFetchSizeWithAutoCommitOff() {
		for (String driver : new String[] { "H2 JDBC Driver", "Oracle JDBC driver",
				"Microsoft JDBC Driver 12.8 for SQL Server" }) {
			StreamingMode mode = StreamingMode.of(driver, 2, "jdbc:other");
			assertThat(mode).isEqualTo(StreamingMode.GENERIC);
			assertThat(mode.fetchSize(500)).isEqualTo(500);
			assertThat(mode.switchesAutoCommit()).isTrue();
		}
		assertThat(StreamingMode.of(null, 0, null)).isEqualTo(StreamingMode.GENERIC);
	}

}
