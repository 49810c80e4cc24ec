package dev.memoryguard.jdbc;

/**
 * Tests for {@link MemoryAwareJdbc} with MySQL Connector/J and {@code useCursorFetch=true}
 * (a server-side cursor) on a MariaDB server started by the tests.
 */
class MemoryAwareJdbcMySqlCursorFetchTests extends AbstractMemoryAwareJdbcTests {

	@Override
	JdbcServer server() {
		return MariaDbServers.mysqlConnector("useCursorFetch=true");
	}

	@Override
	StreamingMode expectedMode() {
		return StreamingMode.MYSQL_CURSOR_FETCH;
	}

}
