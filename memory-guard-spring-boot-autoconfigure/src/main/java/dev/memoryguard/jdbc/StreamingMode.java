package dev.memoryguard.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * How a driver streams a result instead of reading it whole, chosen from the connection's
 * metadata (driver name and version, and for MySQL Connector/J the URL).
 */
enum StreamingMode {

	/**
	 * PostgreSQL JDBC: a cursor, which the driver uses only with auto-commit off and a
	 * positive fetch size.
	 */
	POSTGRESQL("cursor (auto-commit off, fetch size %d)", true, false),

	/**
	 * MySQL Connector/J without {@code useCursorFetch}: row streaming, which the driver
	 * does only for a forward-only, read-only statement with fetch size
	 * {@link Integer#MIN_VALUE}; a positive fetch size alone reads the whole result.
	 */
	MYSQL_ROW_STREAMING("row streaming (forward-only, read-only, fetch size Integer.MIN_VALUE)", false, true),

	/**
	 * MySQL Connector/J with {@code useCursorFetch=true} in the URL: a server-side cursor
	 * read with a positive fetch size.
	 */
	MYSQL_CURSOR_FETCH("server-side cursor (useCursorFetch=true, fetch size %d)", false, false),

	/**
	 * MariaDB Connector/J 2.x and 3.x: streaming with a positive fetch size.
	 */
	MARIADB_STREAMING("streaming (fetch size %d)", false, true),

	/**
	 * MariaDB Connector/J 1.x: row streaming like MySQL's, fetch size
	 * {@link Integer#MIN_VALUE}.
	 */
	MARIADB_ROW_STREAMING("row streaming (fetch size Integer.MIN_VALUE)", false, true),

	/**
	 * Any other driver (H2, Oracle, SQL Server, ...): a positive fetch size with
	 * auto-commit off, which is how JDBC drivers are asked for a cursor.
	 */
	GENERIC("fetch size %d, auto-commit off", true, false);

	private static final Pattern CURSOR_FETCH = Pattern.compile("[?&;]usecursorfetch=true(&|;|$)");

	private final String description;

	private final boolean switchesAutoCommit;

	private final boolean holdsConnection;

	StreamingMode(String description, boolean switchesAutoCommit, boolean holdsConnection) {
		this.description = description;
		this.switchesAutoCommit = switchesAutoCommit;
		this.holdsConnection = holdsConnection;
	}

	/**
	 * Returns the mode for the driver behind {@code metaData}.
	 * @param metaData the connection's metadata
	 * @return the mode
	 * @throws SQLException when the metadata cannot be read
	 */
	static StreamingMode of(DatabaseMetaData metaData) throws SQLException {
		return of(metaData.getDriverName(), metaData.getDriverMajorVersion(), metaData.getURL());
	}

	static StreamingMode of(@Nullable String driverName, int driverMajorVersion, @Nullable String url) {
		String driver = (driverName != null) ? driverName.toLowerCase(Locale.ROOT) : "";
		if (driver.startsWith("postgresql")) {
			return POSTGRESQL;
		}
		if (driver.startsWith("mysql connector")) {
			return (url != null && CURSOR_FETCH.matcher(url.toLowerCase(Locale.ROOT)).find()) ? MYSQL_CURSOR_FETCH
					: MYSQL_ROW_STREAMING;
		}
		if (driver.startsWith("mariadb connector")) {
			return (driverMajorVersion >= 2) ? MARIADB_STREAMING : MARIADB_ROW_STREAMING;
		}
		return GENERIC;
	}

	/**
	 * Returns the fetch size to set on the statement.
	 * @param rows the rows wanted per round trip
	 * @return the fetch size
	 */
	int fetchSize(int rows) {
		return (this == MYSQL_ROW_STREAMING || this == MARIADB_ROW_STREAMING) ? Integer.MIN_VALUE : rows;
	}

	/**
	 * Returns whether the driver streams only with auto-commit off, so that the cursor
	 * switches it off for the run.
	 * @return whether auto-commit is switched off
	 */
	boolean switchesAutoCommit() {
		return this.switchesAutoCommit;
	}

	/**
	 * Returns whether an open stream holds the connection: no other statement may run on
	 * it (MySQL Connector/J refuses one, MariaDB Connector/J first reads the rest of the
	 * result into memory), and closing it reads every unread row.
	 * @return whether the stream holds its connection
	 */
	boolean holdsConnection() {
		return this.holdsConnection;
	}

	/**
	 * Returns whether {@code Statement.cancel()} stops the server sending an open stream,
	 * so that closing it reads only what is already on its way. MariaDB Connector/J sends
	 * {@code KILL QUERY}; MySQL Connector/J cancels nothing once {@code executeQuery} has
	 * returned.
	 * @return whether a cancel shortens the close
	 */
	boolean cancelStopsStream() {
		return this == MARIADB_STREAMING || this == MARIADB_ROW_STREAMING;
	}

	/**
	 * Returns what the mode does, for the log.
	 * @param rows the rows fetched per round trip
	 * @return the description
	 */
	String describe(int rows) {
		return String.format(Locale.ROOT, this.description, rows);
	}

}
