package dev.memoryguard.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryThresholds;

/**
 * Reads the whole of {@code mg_big} in a small heap, run in a forked JVM by
 * {@link MemoryAwareJdbcHeapTests}: {@code stream <jdbc-url>} with
 * {@link MemoryAwareJdbc#forEachBatch}, {@code list <jdbc-url>} with
 * {@code JdbcTemplate.queryForList}. Exits 0 when every row was read in order, 1 when not,
 * 3 on {@link OutOfMemoryError}.
 */
public final class LargeResultMain {

	static final String QUERY = "select id, payload from mg_big order by id";

	private LargeResultMain() {
	}

	public static void main(String[] args) {
		String mode = args[0];
		JdbcTemplate jdbcTemplate = new JdbcTemplate(new DriverManagerDataSource(args[1]));
		try {
			if (mode.equals("stream")) {
				System.exit(stream(jdbcTemplate) ? 0 : 1);
			}
			List<Map<String, Object>> rows = jdbcTemplate.queryForList(QUERY);
			System.out.println("queryForList returned " + rows.size() + " rows");
			System.exit(0);
		}
		catch (OutOfMemoryError ex) {
			System.out.println("OutOfMemoryError: " + ex.getMessage());
			System.exit(3);
		}
	}

	private static boolean stream(JdbcTemplate jdbcTemplate) {
		MemoryGuard guard = new MemoryGuard(new JvmMemoryProbe(0.85),
				MemoryThresholds.DEFAULTS, Duration.ofSeconds(1));
		guard.start();
		AtomicLong expectedId = new AtomicLong(1);
		AtomicLong payloadChars = new AtomicLong();
		BatchResult result = new MemoryAwareJdbc(jdbcTemplate, guard).forEachBatch(QUERY,
				(rs, rowNum) -> new Row(rs.getLong(1), rs.getString(2)), (batch) -> {
					for (Row row : batch) {
						if (row.id() != expectedId.getAndIncrement()) {
							throw new IllegalStateException("Row " + row.id() + " out of order");
						}
						payloadChars.addAndGet(row.payload().length());
					}
				});
		guard.stop();
		Runtime runtime = Runtime.getRuntime();
		System.out.println("streamed " + result + ", payload chars " + payloadChars + ", max heap "
				+ runtime.maxMemory() / (1024 * 1024) + " MB");
		return !result.stoppedEarly() && result.rows() == expectedId.get() - 1;
	}

	record Row(long id, String payload) {

	}

}
