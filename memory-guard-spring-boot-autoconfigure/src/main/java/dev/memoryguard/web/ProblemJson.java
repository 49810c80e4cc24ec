package dev.memoryguard.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.ProblemDetail;

/**
 * Writes a {@link ProblemDetail} as {@code application/problem+json} without a JSON
 * library, for the admission filters: they answer before the application's message
 * converters or codecs take part, and must not depend on how the application configured
 * them.
 */
public final class ProblemJson {

	private ProblemJson() {
	}

	/**
	 * Returns the problem as UTF-8 JSON: the standard members, then the properties.
	 * @param problem the problem
	 * @return the JSON bytes
	 */
	public static byte[] bytes(ProblemDetail problem) {
		StringBuilder json = new StringBuilder(256).append('{');
		member(json, "type", problem.getType().toString());
		member(json, "title", problem.getTitle());
		member(json, "status", problem.getStatus());
		member(json, "detail", problem.getDetail());
		URI instance = problem.getInstance();
		member(json, "instance", (instance != null) ? instance.toString() : null);
		Map<String, @Nullable Object> properties = problem.getProperties();
		if (properties != null) {
			properties.forEach((name, value) -> member(json, name, value));
		}
		return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
	}

	private static void member(StringBuilder json, String name, @Nullable Object value) {
		if (value == null) {
			return;
		}
		if (json.length() > 1) {
			json.append(',');
		}
		string(json, name);
		json.append(':');
		if (value instanceof Number || value instanceof Boolean) {
			json.append(value);
		}
		else {
			string(json, value.toString());
		}
	}

	private static void string(StringBuilder json, String text) {
		json.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

}
