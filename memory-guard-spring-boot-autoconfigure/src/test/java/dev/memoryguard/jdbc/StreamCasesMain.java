package dev.memoryguard.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryThresholds;

/**
 * Runs large-result cases against {@code mg_big} (1M rows of 192 characters) in a small
 * heap, forked by {@link ForkedStreamCases}:
 * {@code StreamCasesMain <case,case,...> <server arguments>}. Each case prints one line
 * {@code CASE <name> key=value ...}; a watchdog prints {@code HUNG <name>} with every
 * thread's stack and halts the JVM when a case takes longer than 60 s.
 * <ul>
 * <li>{@code survive}: every row through {@code forEachBatch}, in order, no gaps.</li>
 * <li>{@code handler-oom}: the handler throws an {@link OutOfMemoryError} on batch 3.</li>
 * <li>{@code real-oom}: the handler keeps every batch until the heap is exhausted.</li>
 * <li>{@code early-stop}: the run stops after 1,000 rows.</li>
 * <li>{@code kill}: the server ends the session on batch 2.</li>
 * <li>{@code list}: {@code JdbcTemplate.queryForList} of the same rows.</li>
 * </ul>
 * After each failing or stopped case it reports the milliseconds from the failure (or
 * stop) to the caller, the pool's active connections, the application user's open
 * transactions on the server (waiting up to 10 s for them to end, and how long that took),
 * and the rows of a next call on the same pool.
 */
public final class StreamCasesMain {

	static final String QUERY = "select id, payload from mg_big order by id";

	private static volatile String running = "start";

	private static volatile long deadline = Long.MAX_VALUE;

	private static volatile long triggered;

	private StreamCasesMain() {
	}

	public static void main(String[] args) throws Exception {
		startWatchdog();
		JdbcServer server = JdbcServer.of(args, 1);
		JdbcTemplate admin = server.admin();
		for (String name : args[0].split(",")) {
			running = name;
			deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			try (HikariDataSource pool = server.pool("cases-" + name, 1)) {
				Map<String, Object> report = new LinkedHashMap<>();
				try {
					runCase(name, server, admin, pool, report);
				}
				catch (Throwable ex) {
					ex.printStackTrace(System.out);
					report.put("error", ex.toString().replace(' ', '_'));
				}
				StringBuilder line = new StringBuilder("CASE ").append(name);
				report.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
				System.out.println(line);
			}
		}
		running = "done";
		System.exit(0);
	}

	private static void runCase(String name, JdbcServer server, JdbcTemplate admin, HikariDataSource pool,
			Map<String, Object> report) {
		JdbcTemplate app = new JdbcTemplate(pool);
		boolean realGuard = name.equals("survive");
		MemoryGuard guard = new MemoryGuard(realGuard ? new JvmMemoryProbe(0.85) : new ManualMemoryProbe(),
				MemoryThresholds.DEFAULTS, Duration.ofSeconds(1));
		guard.start();
		MemoryAwareJdbc jdbc = new MemoryAwareJdbc(app, guard);
		long bytesBefore = bytesSent(server, admin);
		triggered = 0;
		try {
			switch (name) {
				case "survive" -> survive(jdbc, report);
				case "handler-oom" -> handlerOom(jdbc, report);
				case "real-oom" -> realOom(jdbc, report);
				case "early-stop" -> earlyStop(jdbc, report);
				case "kill" -> kill(jdbc, server, admin, app, report);
				case "list" -> list(app, report);
				default -> throw new IllegalArgumentException("Unknown case " + name);
			}
		}
		finally {
			guard.stop();
		}
		if (name.equals("survive") || name.equals("list")) {
			return;
		}
		if (bytesBefore >= 0) {
			report.put("bytesSent", bytesSent(server, admin) - bytesBefore);
		}
		report.put("active", pool.getHikariPoolMXBean().getActiveConnections());
		long start = System.nanoTime();
		int open = server.openTransactions(admin);
		while (open != 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
			sleep(50);
			open = server.openTransactions(admin);
		}
		report.put("open", open);
		report.put("openEndedMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
		report.put("next", jdbc.forEachBatch("select id, payload from mg_big where id <= ? order by id", BigRow.ROW,
				(batch) -> {
				}, 1000).rows());
	}

	private static void survive(MemoryAwareJdbc jdbc, Map<String, Object> report) {
		AtomicLong expectedId = new AtomicLong(1);
		AtomicLong payloadChars = new AtomicLong();
		BatchResult result = jdbc.forEachBatch(QUERY, BigRow.ROW, (batch) -> {
			for (BigRow row : batch) {
				if (row.id() != expectedId.getAndIncrement()) {
					throw new IllegalStateException("Row " + row.id() + " out of order");
				}
				payloadChars.addAndGet(row.payload().length());
			}
		});
		report.put("rows", result.rows());
		report.put("inOrder", result.rows() == expectedId.get() - 1);
		report.put("stoppedEarly", result.stoppedEarly());
		report.put("payloadChars", payloadChars.get());
		report.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
	}

	private static void handlerOom(MemoryAwareJdbc jdbc, Map<String, Object> report) {
		OutOfMemoryError thrown = new OutOfMemoryError("handler failed on batch 3");
		AtomicLong batches = new AtomicLong();
		Throwable caught = call(() -> jdbc.forEachBatch(QUERY, BigRow.ROW, (batch) -> {
			if (batches.incrementAndGet() == 3) {
				triggered = System.nanoTime();
				throw thrown;
			}
		}));
		reportFailure(caught, report);
		report.put("same", caught == thrown);
	}

	private static void realOom(MemoryAwareJdbc jdbc, Map<String, Object> report) {
		List<List<BigRow>> kept = new ArrayList<>();
		AtomicLong rows = new AtomicLong();
		Throwable caught = call(() -> jdbc.forEachBatch(QUERY, BigRow.ROW, (batch) -> {
			triggered = System.nanoTime();
			kept.add(batch);
			rows.addAndGet(batch.size());
		}));
		// the caller lets go of what it kept once the call has returned
		kept.clear();
		reportFailure(caught, report);
		report.put("keptRows", rows.get());
	}

	private static void earlyStop(MemoryAwareJdbc jdbc, Map<String, Object> report) {
		AtomicLong rows = new AtomicLong();
		long start = System.nanoTime();
		BatchResult result = jdbc.forEachBatch(BatchOptions.defaults().withMaxRows(1000), QUERY, BigRow.ROW,
				(batch) -> {
					triggered = System.nanoTime();
					rows.addAndGet(batch.size());
				});
		long end = System.nanoTime();
		report.put("ms", TimeUnit.NANOSECONDS.toMillis(end - triggered));
		report.put("totalMs", TimeUnit.NANOSECONDS.toMillis(end - start));
		report.put("rows", result.rows());
		report.put("stoppedEarly", result.stoppedEarly());
	}

	private static void kill(MemoryAwareJdbc jdbc, JdbcServer server, JdbcTemplate admin, JdbcTemplate app,
			Map<String, Object> report) {
		long session = server.sessionId(app);
		AtomicLong batches = new AtomicLong();
		Throwable caught = call(() -> jdbc.forEachBatch(QUERY, BigRow.ROW, (batch) -> {
			if (batches.incrementAndGet() == 2) {
				server.kill(admin, session);
				triggered = System.nanoTime();
			}
		}));
		reportFailure(caught, report);
	}

	private static void list(JdbcTemplate app, Map<String, Object> report) {
		Throwable caught = call(() -> app.queryForList(QUERY).size());
		report.put("thrown", (caught != null) ? caught.getClass().getName() : "none");
		// MySQL Connector/J wraps the OutOfMemoryError of its read in an SQLException
		boolean outOfMemory = false;
		for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
			outOfMemory |= cause instanceof OutOfMemoryError;
		}
		report.put("outOfMemory", outOfMemory);
	}

	private static void reportFailure(Throwable caught, Map<String, Object> report) {
		long end = System.nanoTime();
		report.put("ms", (triggered != 0) ? TimeUnit.NANOSECONDS.toMillis(end - triggered) : -1);
		report.put("thrown", (caught != null) ? caught.getClass().getName() : "none");
		report.put("dataAccess", caught instanceof DataAccessException);
		report.put("suppressed", (caught != null) ? caught.getSuppressed().length : 0);
	}

	private static Throwable call(Supplier<?> call) {
		try {
			call.get();
			return null;
		}
		catch (Throwable ex) {
			return ex;
		}
	}

	private static long bytesSent(JdbcServer server, JdbcTemplate admin) {
		if (server.dialect() == JdbcServer.Dialect.POSTGRESQL) {
			return -1;
		}
		Map<String, Object> row = admin.queryForMap("show global status like 'Bytes_sent'");
		return Long.parseLong(String.valueOf(row.get("Value")));
	}

	private static void startWatchdog() {
		Thread watchdog = new Thread(() -> {
			while (true) {
				sleep(200);
				if (System.nanoTime() > deadline) {
					System.out.println("HUNG " + running);
					Thread.getAllStackTraces().forEach((thread, stack) -> {
						System.out.println(thread);
						for (StackTraceElement frame : stack) {
							System.out.println("\tat " + frame);
						}
					});
					System.out.flush();
					Runtime.getRuntime().halt(2);
				}
			}
		}, "cases-watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
