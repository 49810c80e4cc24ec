package dev.memoryguard.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.jdbc.BatchResult;
import dev.memoryguard.jdbc.KeysetQuery;
import dev.memoryguard.jdbc.MemoryAwareJdbc;

/**
 * Measured reads of a table in a fresh JVM, forked by {@link JdbcBatchBenchmark}:
 * {@code JdbcBatchRun <mode> <table> <jdbc-url> <table-rows>}. Warms up with five reads of
 * {@code bench_100k}, then reads {@code <table>} as often as it takes to read 2M rows (at
 * least twice) and prints
 * {@code RESULT <mode> <rows> <nanos> <peak-after-gc-bytes> <peak-used-bytes>}. Mode
 * {@code interleaved:<mode,mode,...>} compares modes side by side in one JVM, mode
 * {@code cleanup} times how a failed or stopped stream ends. "raw" is plain JDBC in the
 * driver's best streaming mode: a cursor with fetch size 1000 and auto-commit off on
 * PostgreSQL, row streaming (fetch size {@code Integer.MIN_VALUE}) on MySQL Connector/J,
 * fetch size 1000 on MariaDB Connector/J.
 */
public final class JdbcBatchRun {

	static final RowMapper<Row> ROW = (rs, rowNum) -> new Row(rs.getLong(1), rs.getString(2));

	private static final int WARMUP_READS = 5;

	private static final int INTERLEAVED_ROUNDS = 9;

	private static final long MEASURED_ROWS = 2_000_000;

	private static final AtomicLong peakAfterGc = new AtomicLong();

	private static volatile long sink;

	private JdbcBatchRun() {
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		String table = args[1];
		long tableRows = Long.parseLong(args[3]);
		try (Connection connection = DriverManager.getConnection(args[2])) {
			JdbcTemplate jdbcTemplate = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
			MemoryGuard guard = new MemoryGuard(new JvmMemoryProbe(0.85),
					MemoryThresholds.DEFAULTS, Duration.ofSeconds(1));
			guard.start();
			MemoryAwareJdbc jdbc = new MemoryAwareJdbc(jdbcTemplate, guard);
			if (mode.startsWith("interleaved:")) {
				interleaved(mode.substring("interleaved:".length()).split(","), table, jdbc, jdbcTemplate, connection);
				guard.stop();
				return;
			}
			if (mode.equals("cleanup")) {
				JdbcCleanupRun.run(args[2], table, guard);
				guard.stop();
				return;
			}
			for (int i = 0; i < WARMUP_READS; i++) {
				read(mode, "bench_100k", jdbc, jdbcTemplate, connection);
			}
			System.gc();
			watchGc();
			ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
			long start = System.nanoTime();
			long rows = 0;
			int reads = Math.max(2, (int) (MEASURED_ROWS / tableRows));
			for (int i = 0; i < reads; i++) {
				rows += read(mode, table, jdbc, jdbcTemplate, connection);
			}
			long nanos = System.nanoTime() - start;
			long peakUsed = 0;
			for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
				if (pool.getType() == MemoryType.HEAP) {
					peakUsed += pool.getPeakUsage().getUsed();
				}
			}
			guard.stop();
			System.out.println("RESULT " + mode + " " + rows + " " + nanos + " " + peakAfterGc.get() + " " + peakUsed);
		}
	}

	private static long read(String mode, String table, MemoryAwareJdbc jdbc, JdbcTemplate jdbcTemplate,
			Connection connection) throws SQLException {
		String sql = "select id, payload from " + table + " order by id";
		AtomicLong sum = new AtomicLong();
		long rows = switch (mode) {
			case "forEachBatch" -> {
				BatchResult result = jdbc.forEachBatch(sql, ROW, (batch) -> batch.forEach((row) -> consume(row, sum)));
				yield result.rows();
			}
			case "forEachPage" -> {
				KeysetQuery<Row> query = KeysetQuery.of("select id, payload from " + table, "id", ROW, Row::id);
				yield jdbc.forEachPage(query, (page) -> page.forEach((row) -> consume(row, sum))).rows();
			}
			case "raw" -> raw(connection, sql, sum);
			case "queryForList" -> {
				List<Map<String, Object>> all = jdbcTemplate.queryForList(sql);
				for (Map<String, Object> row : all) {
					sum.addAndGet(((Number) row.get("id")).longValue() + ((String) row.get("payload")).length());
				}
				yield all.size();
			}
			default -> throw new IllegalArgumentException("Unknown mode " + mode);
		};
		sink = sum.get();
		return rows;
	}

	/**
	 * Throughput side by side: rounds of raw, forEachBatch and forEachPage reads of the
	 * same table in one JVM, so that load on the machine hits all three alike. Prints
	 * {@code INTERLEAVED <mode> <median-nanos-per-read>} for each.
	 */
	private static void interleaved(String[] modes, String table, MemoryAwareJdbc jdbc, JdbcTemplate jdbcTemplate,
			Connection connection) throws SQLException {
		for (int i = 0; i < WARMUP_READS; i++) {
			for (String mode : modes) {
				read(mode, "bench_100k", jdbc, jdbcTemplate, connection);
			}
		}
		long[][] nanos = new long[modes.length][INTERLEAVED_ROUNDS];
		for (int round = 0; round < INTERLEAVED_ROUNDS; round++) {
			for (int k = 0; k < modes.length; k++) {
				// the order rotates, so that no mode always runs first
				int m = (round + k) % modes.length;
				long start = System.nanoTime();
				read(modes[m], table, jdbc, jdbcTemplate, connection);
				nanos[m][round] = System.nanoTime() - start;
			}
		}
		for (int m = 0; m < modes.length; m++) {
			java.util.Arrays.sort(nanos[m]);
			System.out.println("INTERLEAVED " + modes[m] + " " + nanos[m][INTERLEAVED_ROUNDS / 2]);
		}
	}

	/**
	 * The floor: plain JDBC in the driver's best streaming mode, mapping each row like the
	 * others do.
	 */
	private static long raw(Connection connection, String sql, AtomicLong sum) throws SQLException {
		boolean postgres = isPostgres(connection);
		if (postgres) {
			connection.setAutoCommit(false);
		}
		long rows = 0;
		try (PreparedStatement statement = prepareStreaming(connection, sql)) {
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					consume(ROW.mapRow(rs, (int) rows), sum);
					rows++;
				}
			}
		}
		finally {
			if (postgres) {
				connection.commit();
				connection.setAutoCommit(true);
			}
		}
		return rows;
	}

	/**
	 * Prepares {@code sql} in the driver's best streaming mode (auto-commit is the
	 * caller's business).
	 */
	static PreparedStatement prepareStreaming(Connection connection, String sql) throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
				ResultSet.CONCUR_READ_ONLY);
		boolean rowStreaming = connection.getMetaData().getDriverName().startsWith("MySQL Connector");
		statement.setFetchSize(rowStreaming ? Integer.MIN_VALUE : 1000);
		return statement;
	}

	static boolean isPostgres(Connection connection) throws SQLException {
		return connection.getMetaData().getDriverName().startsWith("PostgreSQL");
	}

	private static void consume(Row row, AtomicLong sum) {
		sum.addAndGet(row.id() + row.payload().length());
	}

	private static void watchGc() {
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
				if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
					GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
						.from((CompositeData) notification.getUserData());
					long after = 0;
					for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
						if (isHeap(pool.getKey())) {
							after += pool.getValue().getUsed();
						}
					}
					peakAfterGc.accumulateAndGet(after, Math::max);
				}
			}, null, null);
		}
	}

	private static boolean isHeap(String poolName) {
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getName().equals(poolName)) {
				return pool.getType() == MemoryType.HEAP;
			}
		}
		return false;
	}

	record Row(long id, String payload) {

	}

}
