package dev.memoryguard.jdbc;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Tests for {@link MemoryAwareJdbc} on PostgreSQL in a container, where Docker exists.
 */
@Testcontainers(disabledWithoutDocker = true)
class MemoryAwareJdbcTestcontainersTests extends AbstractMemoryAwareJdbcTests {

	@Container
	static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");

	@Override
	JdbcServer server() {
		return new JdbcServer(JdbcServer.Dialect.POSTGRESQL, postgres.getJdbcUrl(), postgres.getUsername(),
				postgres.getPassword(), postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
	}

	@Override
	StreamingMode expectedMode() {
		return StreamingMode.POSTGRESQL;
	}

}
