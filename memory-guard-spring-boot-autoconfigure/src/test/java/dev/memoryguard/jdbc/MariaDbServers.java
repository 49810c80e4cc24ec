package dev.memoryguard.jdbc;

import dev.memoryguard.testsupport.MariaDbServer;

/**
 * The MariaDB server of the tests, seen through either driver.
 */
final class MariaDbServers {

	private MariaDbServers() {
	}

	/**
	 * Returns the server as MySQL Connector/J reaches it.
	 * @param parameters URL parameters, or empty
	 * @return the server
	 */
	static JdbcServer mysqlConnector(String parameters) {
		return new JdbcServer(JdbcServer.Dialect.MARIADB, MariaDbServer.mysqlUrl(parameters), "app", "app",
				MariaDbServer.mariadbUrl(), "root", "");
	}

	/**
	 * Returns the server as MariaDB Connector/J reaches it.
	 * @return the server
	 */
	static JdbcServer mariadbConnector() {
		return new JdbcServer(JdbcServer.Dialect.MARIADB, MariaDbServer.mariadbUrl(), "app", "app",
				MariaDbServer.mariadbUrl(), "root", "");
	}

}
