package dev.memoryguard.jdbc;

import dev.memoryguard.testsupport.EmbeddedPostgres;

/**
 * Forked large-result and failure cases of {@link MemoryAwareJdbc} on embedded PostgreSQL.
 */
class MemoryAwareJdbcForkedPostgresTests extends AbstractForkedStreamTests {

	@Override
	JdbcServer server() {
		String url = EmbeddedPostgres.jdbcUrl();
		return new JdbcServer(JdbcServer.Dialect.POSTGRESQL, url, "postgres", "postgres", url, "postgres", "postgres");
	}

}
