package dev.memoryguard.jdbc;

/**
 * Forked large-result and failure cases of {@link MemoryAwareJdbc} with MySQL Connector/J
 * (row streaming) on a MariaDB server started by the tests.
 */
class MemoryAwareJdbcForkedMySqlConnectorTests extends AbstractForkedStreamTests {

	@Override
	JdbcServer server() {
		return MariaDbServers.mysqlConnector("");
	}

}
