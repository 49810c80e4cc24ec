package dev.memoryguard.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's property table true to the generated configuration metadata: every
 * property is listed, with the default the metadata gives and a description.
 */
class ReadmePropertyTableTests {

	private static final Pattern ROW = Pattern.compile("^\\| `(memory-guard\\.[^`]+)` \\| ([^|]*) \\| ([^|]+) \\|$");

	@Test
	void everyPropertyInTheMetadataIsInTheReadmeWithItsDefault() throws IOException {
		Map<String, String> readme = readmeDefaults();
		List<Map<String, Object>> properties = JsonPath.read(metadata(), "$.properties[*]");
		Map<String, String> expected = new LinkedHashMap<>();
		for (Map<String, Object> property : properties) {
			String name = (String) property.get("name");
			assertThat((String) property.get("description")).as("description of %s", name).isNotBlank();
			if (!name.startsWith("memory-guard.") || name.equals("memory-guard.caches")) {
				continue;
			}
			Object defaultValue = property.get("defaultValue");
			expected.put(name, (defaultValue != null) ? defaultValue.toString() : "");
		}
		assertThat(readme.keySet()).as("README property table, between the properties markers")
			.containsAll(expected.keySet());
		expected.forEach((name, defaultValue) -> assertThat(normalize(readme.get(name)))
			.as("README default of %s", name)
			.isEqualTo(normalize(defaultValue)));
	}

	private static Map<String, String> readmeDefaults() throws IOException {
		String readme = Files.readString(projectRoot().resolve("README.md"));
		int start = readme.indexOf("<!-- properties:start -->");
		int end = readme.indexOf("<!-- properties:end -->");
		assertThat(start).as("properties:start marker").isNotNegative();
		Map<String, String> defaults = new LinkedHashMap<>();
		for (String line : readme.substring(start, end).split("\n")) {
			Matcher matcher = ROW.matcher(line.trim());
			if (matcher.matches()) {
				defaults.put(matcher.group(1), matcher.group(2).trim().replace("`", ""));
			}
		}
		return defaults;
	}

	private static String normalize(String value) {
		String text = value.trim().toLowerCase(java.util.Locale.ROOT);
		if (text.equals("none") || text.equals("-")) {
			return "";
		}
		try {
			return Double.toString(Double.parseDouble(text));
		}
		catch (NumberFormatException ex) {
			return text;
		}
	}

	private static String metadata() throws IOException {
		try (InputStream in = ReadmePropertyTableTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated configuration metadata").isNotNull();
			return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
	}

	private static Path projectRoot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.exists(dir.resolve("README.md"))) {
			dir = dir.getParent();
		}
		assertThat(dir).as("project root with README.md").isNotNull();
		return dir;
	}

}
