package dev.memoryguard.jdbc;

/**
 * Forked large-result and failure cases of {@link MemoryAwareJdbc} with MariaDB
 * Connector/J on a MariaDB server started by the tests.
 */
class MemoryAwareJdbcForkedMariaDbConnectorTests extends AbstractForkedStreamTests {

	@Override
	JdbcServer server() {
		return MariaDbServers.mariadbConnector();
	}

}
