package dev.memoryguard.jdbc;

import dev.memoryguard.testsupport.EmbeddedPostgres;

/**
 * Tests for {@link MemoryAwareJdbc} on embedded PostgreSQL.
 */
class MemoryAwareJdbcEmbeddedPostgresTests extends AbstractMemoryAwareJdbcTests {

	@Override
	JdbcServer server() {
		String url = EmbeddedPostgres.jdbcUrl();
		return new JdbcServer(JdbcServer.Dialect.POSTGRESQL, url, "postgres", "postgres", url, "postgres", "postgres");
	}

	@Override
	StreamingMode expectedMode() {
		return StreamingMode.POSTGRESQL;
	}

}
