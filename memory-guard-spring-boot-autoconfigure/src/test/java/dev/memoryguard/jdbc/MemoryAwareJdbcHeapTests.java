package dev.memoryguard.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.memoryguard.testsupport.EmbeddedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves in forked {@code -Xmx64m} JVMs that {@link MemoryAwareJdbc#forEachBatch}
 * streams a result that {@code queryForList} cannot hold.
 */
class MemoryAwareJdbcHeapTests {

	private static final int ROWS = 1_000_000;

	@BeforeAll
	static void createLargeTable() {
		JdbcTemplate jdbcTemplate = new JdbcTemplate(EmbeddedPostgres.dataSource());
		jdbcTemplate.execute("create table if not exists mg_big (id bigint primary key, payload text not null)");
		Integer rows = jdbcTemplate.queryForObject("select count(*) from mg_big", Integer.class);
		if (rows == null || rows != ROWS) {
			jdbcTemplate.execute("truncate mg_big");
			// about 200 bytes a row
			jdbcTemplate.update("insert into mg_big select g, repeat(md5(g::text), 6) from generate_series(1, ?) g",
					ROWS);
			jdbcTemplate.execute("analyze mg_big");
		}
	}

	@Test
	void forEachBatchStreamsAMillionRowsInA64MegabyteHeap() throws Exception {
		Result result = fork("stream");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("streamed BatchResult[rows=1000000, batches=10000, stoppedEarly=false",
				"payload chars 192000000");
	}

	@Test
	void queryForListOfTheSameRowsRunsOutOfMemoryInTheSameHeap() throws Exception {
		Result result = fork("list");
		assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
		assertThat(result.output()).contains("OutOfMemoryError");
	}

	private Result fork(String mode) throws IOException, InterruptedException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Path log = Files.createTempFile("memory-aware-jdbc-" + mode, ".log");
		Process process = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
				LargeResultMain.class.getName(), mode, EmbeddedPostgres.jdbcUrl())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		boolean exited = process.waitFor(90, TimeUnit.SECONDS);
		if (!exited) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		String output = Files.readString(log, StandardCharsets.UTF_8);
		Files.delete(log);
		assertThat(exited).as("forked JVM finished within 90 s: " + output).isTrue();
		System.out.println("forked " + mode + ":\n" + tail(output));
		return new Result(process.exitValue(), tail(output));
	}

	private static String tail(String output) {
		List<String> lines = output.lines().toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
	}

	record Result(int exitCode, String output) {

	}

}
