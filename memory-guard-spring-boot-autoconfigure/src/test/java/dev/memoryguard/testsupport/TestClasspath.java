package dev.memoryguard.testsupport;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Class paths for forked JVMs. A small-heap JVM started on the whole test class path
 * spends megabytes of its heap on the central directories of jars it opens while
 * looking up service files; the core's forks therefore run on only what they need.
 */
public final class TestClasspath {

	/**
	 * Jars the guard core needs: Spring's core, beans and context, logging and JSpecify.
	 */
	public static final List<String> CORE = List.of("spring-core", "spring-beans", "spring-context", "spring-jcl",
			"spring-aop", "spring-expression", "micrometer-observation", "micrometer-commons", "slf4j-api",
			"logback-classic", "logback-core", "jspecify");

	private TestClasspath() {
	}

	/**
	 * Returns the whole test class path.
	 * @return the class path
	 */
	public static String full() {
		return System.getProperty("java.class.path");
	}

	/**
	 * Returns the test class path reduced to its directories and the jars whose file
	 * names start with one of the given artifact names.
	 * @param artifacts artifact names such as {@code spring-core}
	 * @return the class path
	 */
	public static String only(List<String> artifacts) {
		return Arrays.stream(full().split(File.pathSeparator))
			.filter((entry) -> !entry.endsWith(".jar") || matches(Path.of(entry).getFileName().toString(), artifacts))
			.collect(Collectors.joining(File.pathSeparator));
	}

	private static boolean matches(String jar, List<String> artifacts) {
		return artifacts.stream().anyMatch((artifact) -> jar.startsWith(artifact + "-") && Character.isDigit(
				jar.charAt(artifact.length() + 1)));
	}

}
