package dev.memoryguard.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Peak heap and rows per second of reading 100k and 1M rows (about 200 bytes each) with
 * {@code MemoryAwareJdbc.forEachBatch} (one cursor), {@code forEachPage} (keyset pages, on
 * PostgreSQL), raw JDBC in the driver's best streaming mode (the floor) and
 * {@code JdbcTemplate.queryForList}, on three drivers: PostgreSQL JDBC against embedded
 * PostgreSQL, MySQL Connector/J and MariaDB Connector/J against a MariaDB server started
 * from the machine's {@code mariadb-server} package. Then how long a failed or stopped
 * stream takes to end on each.
 * <p>
 * Every measurement is a fresh JVM ({@code -XX:+UseParallelGC -Xmx3g -Xmn32m}, so that
 * young collections are frequent and the heap after each one shows what a read retains)
 * that warms up with five reads of 100k rows and then reads the table as often as it
 * takes to read 2M rows (at least twice); each
 * combination runs {@code runs} times (default 3), reported as the median rows/s and the
 * highest peaks. "Peak after GC" is the largest heap in use after any collection during
 * the read (what the read retains); "peak used" adds the per-pool peaks, garbage
 * included. Because single reads on a shared machine are noisy, a last JVM per driver
 * reads 1M rows in nine interleaved rounds of raw and forEachBatch (and forEachPage) and
 * reports the median of each side by side: that is the throughput comparison to quote.
 * The cleanup JVM times, on a Hikari pool, the handler's exception to the caller's catch,
 * an early stop after 1,000 rows to the return, and a plain {@code ResultSet.close()}
 * after 1,000 rows (median and max of nine).
 * <p>
 * Build and run:
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.memoryguard.benchmarks.JdbcBatchBenchmark [runs] [all|interleaved|cleanup]
 * </pre>
 */
public final class JdbcBatchBenchmark {

	private static final Map<String, Integer> TABLES = new LinkedHashMap<>();

	static {
		TABLES.put("bench_100k", 100_000);
		TABLES.put("bench_1m", 1_000_000);
	}

	private JdbcBatchBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		String part = (args.length > 1) ? args[1] : "all";
		Path workingDir = Files.createTempDirectory("memory-guard-bench-pg");
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(workingDir.toFile())
			.start(); MariaDbProcess mariadb = MariaDbProcess.start()) {
			JdbcTemplate pg = new JdbcTemplate(postgres.getPostgresDatabase());
			TABLES.forEach((table, rows) -> {
				pg.execute("create table " + table + " (id bigint primary key, payload text not null)");
				pg.update("insert into " + table + " select g, repeat(md5(g::text), 6) from generate_series(1, ?) g",
						rows);
				pg.execute("vacuum analyze " + table);
			});
			try (Connection admin = mariadb.admin(); Statement statement = admin.createStatement()) {
				for (Map.Entry<String, Integer> table : TABLES.entrySet()) {
					statement.execute("create table mg." + table.getKey()
							+ " (id bigint primary key, payload varchar(200) not null)");
					statement.execute("insert into mg." + table.getKey()
							+ " select seq, repeat(md5(seq), 6) from mg.seq_1_to_" + table.getValue());
					statement.execute("analyze table mg." + table.getKey());
				}
			}
			List<Driver> drivers = List.of(
					new Driver("PostgreSQL JDBC (PostgreSQL 17)", postgres.getJdbcUrl("postgres", "postgres"),
							List.of("raw", "forEachBatch", "forEachPage", "queryForList")),
					new Driver("MySQL Connector/J (MariaDB 10.11)", mariadb.url("mysql"),
							List.of("raw", "forEachBatch", "queryForList")),
					new Driver("MariaDB Connector/J (MariaDB 10.11)", mariadb.url("mariadb"),
							List.of("raw", "forEachBatch", "queryForList")));
			for (Driver driver : drivers) {
				System.out.println();
				System.out.println("### " + driver.name());
				if (part.equals("all")) {
					throughput(driver, runs);
				}
				if (part.equals("all") || part.equals("interleaved")) {
					interleaved(driver);
				}
				if (part.equals("all") || part.equals("cleanup")) {
					cleanup(driver);
				}
			}
		}
	}

	private static void throughput(Driver driver, int runs) throws IOException, InterruptedException {
		Map<String, Measurement> results = new LinkedHashMap<>();
		for (String table : TABLES.keySet()) {
			for (int run = 0; run < runs; run++) {
				// modes interleaved, so that noise on the shared machine hits them alike
				for (String mode : driver.modes()) {
					results.computeIfAbsent(table + " " + mode, (key) -> new Measurement())
						.add(fork(mode, table, driver.url()));
				}
			}
		}
		print(driver, results);
	}

	private static void interleaved(Driver driver) throws IOException, InterruptedException {
		String modes = String.join(",",
				driver.modes().stream().filter((mode) -> !mode.equals("queryForList")).toList());
		List<String> lines = run("interleaved:" + modes, "bench_1m", driver.url()).lines()
			.filter((line) -> line.startsWith("INTERLEAVED "))
			.toList();
		Map<String, Long> nanos = new LinkedHashMap<>();
		lines.forEach((line) -> nanos.put(line.split(" ")[1], Long.parseLong(line.split(" ")[2])));
		System.out.println();
		System.out.println("Side by side in one JVM, 1,000,000 rows, median of 9 interleaved rounds:");
		System.out.println("| mode | rows/s | vs raw |");
		System.out.println("|---|---|---|");
		nanos.forEach((mode, time) -> System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2fx |%n", mode,
				1_000_000 * 1e9 / time, (double) nanos.get("raw") / time));
	}

	private static void cleanup(Driver driver) throws IOException, InterruptedException {
		System.out.println();
		System.out.println("Ending a stream, ms (median / max of 9):");
		System.out.println("| rows | handler's exception to caller | early stop after 1,000 rows to return "
				+ "| plain close after 1,000 rows |");
		System.out.println("|---|---|---|---|");
		for (Map.Entry<String, Integer> table : TABLES.entrySet()) {
			String output = run("cleanup", table.getKey(), driver.url());
			Map<String, String> cases = new LinkedHashMap<>();
			output.lines().filter((line) -> line.startsWith("CLEANUP ")).forEach((line) -> {
				String[] words = line.split(" ");
				cases.put(words[1], words[2] + " / " + words[3]);
			});
			if (cases.size() != 3) {
				throw new IllegalStateException("cleanup on " + table.getKey() + " failed:\n" + output);
			}
			System.out.printf(Locale.ROOT, "| %,d | %s | %s | %s |%n", table.getValue(), cases.get("failure"),
					cases.get("early-stop"), cases.get("raw-close"));
		}
	}

	private static String[] fork(String mode, String table, String url) throws IOException, InterruptedException {
		String output = run(mode, table, url);
		return output.lines()
			.filter((line) -> line.startsWith("RESULT "))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(mode + " on " + table + " failed:\n" + output))
			.split(" ");
	}

	private static String run(String mode, String table, String url) throws IOException, InterruptedException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Path log = Files.createTempFile("jdbc-batch-run", ".log");
		Process process = new ProcessBuilder(java, "-XX:+UseParallelGC", "-Xmx3g", "-Xmn32m", "-cp",
				System.getProperty("java.class.path"), JdbcBatchRun.class.getName(), mode, table, url,
				String.valueOf(TABLES.get(table)))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!process.waitFor(5, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException(mode + " on " + table + " did not finish in 5 minutes");
		}
		String output = Files.readString(log, StandardCharsets.UTF_8);
		Files.delete(log);
		return output;
	}

	private static void print(Driver driver, Map<String, Measurement> results) {
		System.out.println("| rows | mode | rows/s (median) | vs raw | peak after GC | peak used |");
		System.out.println("|---|---|---|---|---|---|");
		for (String table : TABLES.keySet()) {
			double raw = results.get(table + " raw").rowsPerSecond();
			for (String mode : driver.modes()) {
				Measurement m = results.get(table + " " + mode);
				System.out.printf(Locale.ROOT, "| %,d | %s | %,.0f | %.2fx | %s | %s |%n", TABLES.get(table), mode,
						m.rowsPerSecond(), m.rowsPerSecond() / raw, mb(m.peakAfterGc), mb(m.peakUsed));
			}
		}
		System.out.println();
		for (String mode : driver.modes()) {
			Measurement small = results.get("bench_100k " + mode);
			Measurement large = results.get("bench_1m " + mode);
			System.out.printf(Locale.ROOT, "%s: peak after GC 1M/100k = %.2fx, peak used 1M/100k = %.2fx%n", mode,
					(double) large.peakAfterGc / small.peakAfterGc, (double) large.peakUsed / small.peakUsed);
		}
	}

	private static String mb(long bytes) {
		return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
	}

	private record Driver(String name, String url, List<String> modes) {

	}

	private static final class Measurement {

		private final List<Double> rowsPerSecond = new ArrayList<>();

		private long peakAfterGc;

		private long peakUsed;

		void add(String[] result) {
			long rows = Long.parseLong(result[2]);
			long nanos = Long.parseLong(result[3]);
			this.rowsPerSecond.add(rows * 1e9 / nanos);
			this.peakAfterGc = Math.max(this.peakAfterGc, Long.parseLong(result[4]));
			this.peakUsed = Math.max(this.peakUsed, Long.parseLong(result[5]));
		}

		double rowsPerSecond() {
			List<Double> sorted = new ArrayList<>(this.rowsPerSecond);
			sorted.sort(null);
			return sorted.get(sorted.size() / 2);
		}

	}

}
