package dev.memoryguard.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardDashboardRuntimeHints}.
 */
class MemoryGuardDashboardRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	MemoryGuardDashboardRuntimeHintsTests() {
		new MemoryGuardDashboardRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void everyAssetOfThePageIsIncluded() throws IOException {
		Resource[] assets = new PathMatchingResourcePatternResolver()
			.getResources("classpath:dev/memoryguard/dashboard/static/*");
		assertThat(assets).extracting(Resource::getFilename).contains("index.html", "dashboard.js", "dashboard.css");
		for (Resource asset : assets) {
			assertThat(RuntimeHintsPredicates.resource().forResource("dev/memoryguard/dashboard/static/" + asset.getFilename()))
				.as(asset.getFilename())
				.accepts(this.hints);
		}
	}

	@Test
	void uplotFilesThePageLoadsAreIncluded() throws IOException {
		String pom = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
		Properties properties = new Properties();
		try (InputStream in = new ClassPathResource(pom).getInputStream()) {
			properties.load(in);
		}
		String dist = "META-INF/resources/webjars/uplot/" + properties.getProperty("version") + "/dist/";
		assertThat(RuntimeHintsPredicates.resource().forResource(pom)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource(dist + "uPlot.iife.min.js")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource(dist + "uPlot.min.css")).accepts(this.hints);
	}

	@Test
	void nothingElseOfTheWebJarIsIncluded() {
		assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/resources/webjars/uplot/1.6.30/package.json"))
			.rejects(this.hints);
	}

}
