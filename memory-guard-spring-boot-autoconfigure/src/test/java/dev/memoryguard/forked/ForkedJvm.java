package dev.memoryguard.forked;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.memoryguard.testsupport.TestClasspath;

/**
 * Runs a main class in a JVM of its own, on the core's share of the test class path
 * ({@link TestClasspath#CORE}) and the given JVM options, and returns what it printed.
 */
public final class ForkedJvm {

	private ForkedJvm() {
	}

	/**
	 * Runs {@code mainClass} and waits for it.
	 * @param mainClass the class to run
	 * @param jvmOptions options such as {@code -Xmx64m}
	 * @param args program arguments
	 * @return standard output and error, interleaved
	 */
	public static Result run(Class<?> mainClass, List<String> jvmOptions, String... args) {
		return run(mainClass, TestClasspath.CORE, jvmOptions, args);
	}

	/**
	 * Runs {@code mainClass} on the given share of the test class path and waits for it.
	 * @param mainClass the class to run
	 * @param artifacts the jars to put on the class path (see {@link TestClasspath#only})
	 * @param jvmOptions options such as {@code -Xmx64m}
	 * @param args program arguments
	 * @return standard output and error, interleaved
	 */
	public static Result run(Class<?> mainClass, List<String> artifacts, List<String> jvmOptions, String... args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(TestClasspath.only(artifacts));
		command.add(mainClass.getName());
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Forked JVM did not finish: " + command);
			}
			return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not fork " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What a forked JVM printed and how it ended.
	 *
	 * @param exitCode the exit code
	 * @param output standard output and error
	 */
	public record Result(int exitCode, String output) {

		/**
		 * Returns the lines that start with {@code prefix}.
		 * @param prefix the line prefix
		 * @return the matching lines
		 */
		public List<String> lines(String prefix) {
			return this.output.lines().filter((line) -> line.startsWith(prefix)).toList();
		}

		/**
		 * Returns the {@code key=value} pairs of the one line that starts with
		 * {@code RESULT}.
		 * @return the values by key, in the order printed
		 * @throws AssertionError when there is not exactly one such line
		 */
		public Map<String, String> resultValues() {
			List<String> results = lines("RESULT");
			if (results.size() != 1) {
				throw new AssertionError("expected one RESULT line in:\n" + this.output);
			}
			Map<String, String> values = new LinkedHashMap<>();
			for (String part : results.get(0).split(" ")) {
				int equals = part.indexOf('=');
				if (equals > 0) {
					values.put(part.substring(0, equals), part.substring(equals + 1));
				}
			}
			return values;
		}

	}

}
