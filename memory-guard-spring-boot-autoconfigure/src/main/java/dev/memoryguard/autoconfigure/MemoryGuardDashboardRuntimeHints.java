package dev.memoryguard.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Hints for what the dashboard serves from the classpath: its page, script and style, and
 * the uPlot files of the WebJar with the WebJar's {@code pom.properties}, from which the
 * dashboard learns uPlot's version.
 */
class MemoryGuardDashboardRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources()
			.registerPattern("dev/memoryguard/dashboard/static/*")
			.registerPattern("META-INF/maven/org.webjars.npm/uplot/pom.properties")
			.registerPattern("META-INF/resources/webjars/uplot/*/dist/*");
	}

}
