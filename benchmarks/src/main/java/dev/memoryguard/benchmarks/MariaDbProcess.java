package dev.memoryguard.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway MariaDB server for the JDBC benchmark, from the machine's
 * {@code mariadb-server} package ({@code mariadb-install-db} and {@code mariadbd} on the
 * {@code PATH} or in {@code /usr/sbin}), in a temporary data directory on a free port,
 * with a database {@code mg} owned by user {@code app} (password {@code app}).
 */
final class MariaDbProcess implements AutoCloseable {

	private final Process process;

	private final Path dir;

	private final int port;

	private MariaDbProcess(Process process, Path dir, int port) {
		this.process = process;
		this.dir = dir;
		this.port = port;
	}

	static MariaDbProcess start() throws IOException, InterruptedException, SQLException {
		Path dir = Files.createTempDirectory("memory-guard-bench-mariadb");
		boolean root = "root".equals(System.getProperty("user.name"));
		List<String> install = new ArrayList<>(List.of(find("mariadb-install-db"), "--no-defaults",
				"--datadir=" + dir.resolve("data"), "--auth-root-authentication-method=normal", "--skip-test-db"));
		List<String> server;
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		server = new ArrayList<>(List.of(find("mariadbd"), "--no-defaults", "--datadir=" + dir.resolve("data"),
				"--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mysqld.sock"),
				"--pid-file=" + dir.resolve("mysqld.pid"), "--log-error=" + dir.resolve("error.log"), "--skip-log-bin",
				"--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0", "--innodb-buffer-pool-size=512M"));
		if (root) {
			install.add("--user=root");
			server.add("--user=root");
		}
		Process installer = new ProcessBuilder(install).redirectErrorStream(true)
			.redirectOutput(dir.resolve("install.log").toFile())
			.start();
		if (!installer.waitFor(60, TimeUnit.SECONDS) || installer.exitValue() != 0) {
			throw new IllegalStateException("mariadb-install-db failed, see " + dir.resolve("install.log"));
		}
		Process process = new ProcessBuilder(server).redirectErrorStream(true)
			.redirectOutput(dir.resolve("mariadbd.out").toFile())
			.start();
		MariaDbProcess started = new MariaDbProcess(process, dir, port);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (true) {
			try (Connection admin = started.admin(); Statement statement = admin.createStatement()) {
				statement.execute("create database mg");
				for (String host : List.of("%", "localhost")) {
					statement.execute("create user 'app'@'" + host + "' identified by 'app'");
					statement.execute("grant all on mg.* to 'app'@'" + host + "'");
				}
				return started;
			}
			catch (SQLException ex) {
				if (System.nanoTime() > deadline || !process.isAlive()) {
					started.close();
					throw ex;
				}
				Thread.sleep(50);
			}
		}
	}

	Connection admin() throws SQLException {
		return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + this.port + "/?user=root");
	}

	/**
	 * Returns the URL of database {@code mg} as user {@code app}.
	 * @param scheme {@code mysql} (MySQL Connector/J) or {@code mariadb} (MariaDB
	 * Connector/J)
	 * @return the URL
	 */
	String url(String scheme) {
		return "jdbc:" + scheme + "://127.0.0.1:" + this.port + "/mg?user=app&password=app";
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try (Stream<Path> paths = Files.walk(this.dir)) {
			paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// a temporary directory
		}
	}

	private static String find(String name) {
		List<String> directories = new ArrayList<>(List.of("/usr/sbin", "/usr/bin", "/usr/local/bin"));
		String path = System.getenv("PATH");
		if (path != null) {
			directories.addAll(List.of(path.split(File.pathSeparator)));
		}
		return directories.stream()
			.map((directory) -> Path.of(directory, name))
			.filter(Files::isExecutable)
			.map(Path::toString)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(name + " not found: install the mariadb-server package"));
	}

}
