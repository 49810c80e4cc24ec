package dev.memoryguard.jdbc;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mysql.MySQLContainer;

/**
 * Tests for {@link MemoryAwareJdbc} with MySQL Connector/J on MySQL 8 in a container,
 * where Docker exists.
 */
@Testcontainers(disabledWithoutDocker = true)
class MemoryAwareJdbcMySqlTestcontainersTests extends AbstractMemoryAwareJdbcTests {

	@Container
	static final MySQLContainer mysql = new MySQLContainer("mysql:8.4");

	@Override
	JdbcServer server() {
		String url = mysql.getJdbcUrl();
		// recursive common table expressions stop at 1,000 rows unless told otherwise
		url += (url.contains("?") ? "&" : "?") + "sessionVariables=cte_max_recursion_depth=2000000";
		// the container gives root the user's password
		return new JdbcServer(JdbcServer.Dialect.MYSQL, url, mysql.getUsername(), mysql.getPassword(), url, "root",
				mysql.getPassword());
	}

	@Override
	StreamingMode expectedMode() {
		return StreamingMode.MYSQL_ROW_STREAMING;
	}

}
