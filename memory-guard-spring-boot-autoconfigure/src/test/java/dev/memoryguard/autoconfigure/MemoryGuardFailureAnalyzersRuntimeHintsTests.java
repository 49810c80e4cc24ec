package dev.memoryguard.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardFailureAnalyzersRuntimeHints}.
 */
class MemoryGuardFailureAnalyzersRuntimeHintsTests {

	@Test
	void everyFailureAnalyzerOfTheStarterCanBeCreated() throws IOException {
		RuntimeHints hints = new RuntimeHints();
		new MemoryGuardFailureAnalyzersRuntimeHints().registerHints(hints, getClass().getClassLoader());
		List<String> ours = new ArrayList<>();
		Enumeration<URL> factories = getClass().getClassLoader().getResources("META-INF/spring.factories");
		while (factories.hasMoreElements()) {
			Properties properties = PropertiesLoaderUtils.loadProperties(new UrlResource(factories.nextElement()));
			String analyzers = properties.getProperty(FailureAnalyzer.class.getName(), "");
			Stream.of(StringUtils.commaDelimitedListToStringArray(analyzers))
				.map(String::trim)
				.filter((name) -> name.startsWith("dev.memoryguard."))
				.forEach(ours::add);
		}
		assertThat(ours).hasSize(2);
		for (String analyzer : ours) {
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(TypeReference.of(analyzer))
				.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).as(analyzer).accepts(hints);
		}
	}

	@Test
	void registrarIsListedInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(MemoryGuardFailureAnalyzersRuntimeHints.class);
	}

}
