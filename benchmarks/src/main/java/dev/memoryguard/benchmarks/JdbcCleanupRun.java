package dev.memoryguard.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.jdbc.BatchOptions;
import dev.memoryguard.jdbc.MemoryAwareJdbc;

/**
 * How long a stream takes to end after its handler failed or stopped, run by
 * {@link JdbcBatchRun} in mode {@code cleanup} on a Hikari pool of two connections. Prints
 * {@code CLEANUP <case> <median-ms> <max-ms>} for:
 * <ul>
 * <li>{@code failure}: from the handler's exception (batch 3) to the caller's catch;</li>
 * <li>{@code early-stop}: from the last handler call to the return of a run limited to 1,000
 * rows;</li>
 * <li>{@code raw-close}: plain JDBC in the driver's streaming mode, 1,000 rows read, then
 * {@code ResultSet.close()} and {@code Statement.close()} (and the commit on PostgreSQL):
 * what closing costs when nothing stops the server first.</li>
 * </ul>
 */
final class JdbcCleanupRun {

	private static final int WARMUP = 3;

	private static final int MEASURED = 9;

	private JdbcCleanupRun() {
	}

	static void run(String url, String table, MemoryGuard guard) throws SQLException {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setMaximumPoolSize(2);
		config.setPoolName("cleanup");
		String sql = "select id, payload from " + table + " order by id";
		try (HikariDataSource pool = new HikariDataSource(config)) {
			MemoryAwareJdbc jdbc = new MemoryAwareJdbc(new JdbcTemplate(pool), guard);
			long[] failure = new long[MEASURED];
			long[] earlyStop = new long[MEASURED];
			long[] rawClose = new long[MEASURED];
			for (int i = -WARMUP; i < MEASURED; i++) {
				long f = failure(jdbc, sql);
				long e = earlyStop(jdbc, sql);
				long r = rawClose(pool, sql);
				if (i >= 0) {
					failure[i] = f;
					earlyStop[i] = e;
					rawClose[i] = r;
				}
			}
			print("failure", failure);
			print("early-stop", earlyStop);
			print("raw-close", rawClose);
		}
	}

	private static long failure(MemoryAwareJdbc jdbc, String sql) {
		AtomicInteger batches = new AtomicInteger();
		long[] thrownAt = new long[1];
		try {
			jdbc.forEachBatch(sql, JdbcBatchRun.ROW, (batch) -> {
				if (batches.incrementAndGet() == 3) {
					thrownAt[0] = System.nanoTime();
					throw new IllegalStateException("handler failed");
				}
			});
		}
		catch (IllegalStateException ex) {
			return System.nanoTime() - thrownAt[0];
		}
		throw new IllegalStateException("The handler's exception did not reach the caller");
	}

	private static long earlyStop(MemoryAwareJdbc jdbc, String sql) {
		long[] lastCall = new long[1];
		jdbc.forEachBatch(BatchOptions.defaults().withMaxRows(1000), sql, JdbcBatchRun.ROW,
				(batch) -> lastCall[0] = System.nanoTime());
		return System.nanoTime() - lastCall[0];
	}

	private static long rawClose(HikariDataSource pool, String sql) throws SQLException {
		try (Connection connection = pool.getConnection()) {
			boolean postgres = JdbcBatchRun.isPostgres(connection);
			if (postgres) {
				connection.setAutoCommit(false);
			}
			PreparedStatement statement = JdbcBatchRun.prepareStreaming(connection, sql);
			ResultSet rs = statement.executeQuery();
			for (int i = 0; i < 1000 && rs.next(); i++) {
				rs.getString(2);
			}
			long start = System.nanoTime();
			rs.close();
			statement.close();
			if (postgres) {
				connection.commit();
			}
			long nanos = System.nanoTime() - start;
			if (postgres) {
				connection.setAutoCommit(true);
			}
			return nanos;
		}
	}

	private static void print(String name, long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		System.out.printf(Locale.ROOT, "CLEANUP %s %.1f %.1f%n", name, sorted[sorted.length / 2] / 1e6,
				sorted[sorted.length - 1] / 1e6);
	}

}
