package dev.memoryguard.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.memoryguard.testsupport.MariaDbServer;
import dev.memoryguard.testsupport.TestClasspath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link StreamCasesMain} in one forked {@code -Xmx64m} JVM against a server whose
 * {@code mg_big} holds 1M rows, and reads its report back.
 */
final class ForkedStreamCases {

	static final int ROWS = 1_000_000;

	private static final List<String> CLASSPATH = List.of("spring-jdbc", "spring-tx", "commons-logging", "HikariCP",
			"postgresql", "mysql-connector-j", "mariadb-java-client");

	private ForkedStreamCases() {
	}

	/**
	 * Creates {@code mg_big} and runs the cases.
	 * @param server the server
	 * @param cases the cases, in order
	 * @return the report of each case, by name
	 */
	static Map<String, Map<String, String>> run(JdbcServer server, String... cases) {
		createBigTable(server);
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx64m", "-cp", TestClasspath.only(classpath()), StreamCasesMain.class.getName(),
				String.join(",", cases)));
		command.addAll(server.args());
		String all = fork(command);
		String output = tail(all);
		String reported = String.join("\n", all.lines().filter((line) -> line.startsWith("CASE ")).toList());
		System.out.println("forked " + String.join(",", cases) + " on " + server.url() + ":\n" + reported
				+ "\nlast lines:\n" + output);
		Map<String, Map<String, String>> reports = new LinkedHashMap<>();
		for (String line : all.lines().filter((line) -> line.startsWith("CASE ")).toList()) {
			String[] words = line.split(" ");
			Map<String, String> report = new LinkedHashMap<>();
			for (int i = 2; i < words.length; i++) {
				int eq = words[i].indexOf('=');
				report.put(words[i].substring(0, eq), words[i].substring(eq + 1));
			}
			reports.put(words[1], report);
		}
		assertThat(reports.keySet()).as("cases reported:%n%s", output).containsExactly(cases);
		return reports;
	}

	private static String fork(List<String> command) {
		try {
			Path log = Files.createTempFile("stream-cases", ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			// the forked JVM has a watchdog of its own per case; this one catches a stuck JVM
			boolean exited = process.waitFor(180, TimeUnit.SECONDS);
			if (!exited) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			String output = Files.readString(log, StandardCharsets.UTF_8);
			Files.delete(log);
			assertThat(exited).as("forked JVM finished within 180 s:%n%s", tail(output)).isTrue();
			assertThat(process.exitValue()).as("forked cases exited normally:%n%s", tail(output)).isZero();
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> classpath() {
		List<String> artifacts = new ArrayList<>(TestClasspath.CORE);
		artifacts.addAll(CLASSPATH);
		return artifacts;
	}

	private static void createBigTable(JdbcServer server) {
		if (server.dialect() == JdbcServer.Dialect.MARIADB) {
			MariaDbServer.createBigTable();
			return;
		}
		JdbcTemplate admin = server.admin();
		admin.execute("create table if not exists mg_big (id bigint primary key, payload text not null)");
		Integer rows = admin.queryForObject("select count(*) from mg_big", Integer.class);
		if (rows == null || rows != ROWS) {
			admin.execute("truncate mg_big");
			// about 200 bytes a row
			admin.update("insert into mg_big select g, repeat(md5(g::text), 6) from generate_series(1, ?) g", ROWS);
			admin.execute("analyze mg_big");
		}
	}

	private static String tail(String output) {
		List<String> lines = output.lines().filter((line) -> !line.contains(" DEBUG ")).toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
	}

}
