package dev.memoryguard.jdbc;

import dev.memoryguard.testsupport.EmbeddedPostgres;

/**
 * Tests for {@link MemoryAwareJdbc} on embedded PostgreSQL.
 */
class MemoryAwareJdbcEmbeddedPostgresTests extends AbstractMemoryAwareJdbcTests {

	@Override
	String jdbcUrl() {
		return EmbeddedPostgres.jdbcUrl();
	}

	@Override
	String username() {
		return "postgres";
	}

	@Override
	String password() {
		return "postgres";
	}

}
