package dev.memoryguard.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * Reads the small text files of the cgroup file system: single values, {@code key value}
 * lines ({@code memory.stat}, {@code memory.events}) and pressure stall lines. A file that
 * is missing or unreadable reads as unknown ({@code -1} or {@code NaN}), never as an error.
 */
final class CgroupFiles {

	/**
	 * cgroup v1 reports "no limit" as a huge number (the largest page-aligned long);
	 * anything at or above 2^60 bytes is no limit a machine has.
	 */
	private static final long UNLIMITED_FLOOR = 1L << 60;

	private CgroupFiles() {
	}

	/**
	 * Returns a limit file's value in bytes, {@code -1} for {@code max}, a v1 "unlimited"
	 * number, an unreadable file or garbage.
	 */
	static long limit(Path file) {
		String value = read(file);
		return (value != null) ? parseLimit(value) : -1;
	}

	static long parseLimit(String value) {
		return limit(parseLong(value.trim()));
	}

	/**
	 * Returns a limit in bytes, {@code -1} for a value that means no limit.
	 */
	static long limit(long value) {
		return (value <= 0 || value >= UNLIMITED_FLOOR) ? -1 : value;
	}

	/**
	 * Returns a single-value file's number, {@code -1} when unknown.
	 */
	static long value(Path file) {
		String value = read(file);
		return (value != null) ? parseLong(value.trim()) : -1;
	}

	/**
	 * Returns the value of {@code key} in a file of {@code key value} lines, {@code -1}
	 * when the file or the key is missing.
	 */
	static long keyed(Path file, String key) {
		String content = read(file);
		return (content != null) ? keyed(content, key) : -1;
	}

	static long keyed(String content, String key) {
		int from = 0;
		while (from < content.length()) {
			int end = content.indexOf('\n', from);
			if (end < 0) {
				end = content.length();
			}
			if (content.startsWith(key, from) && end > from + key.length()
					&& content.charAt(from + key.length()) == ' ') {
				return parseLong(content.substring(from + key.length() + 1, end).trim());
			}
			from = end + 1;
		}
		return -1;
	}

	/**
	 * Returns PSI {@code some avg10} of a pressure file as a fraction (the file gives a
	 * percentage), {@code NaN} when missing.
	 */
	static double someAvg10(Path file) {
		String content = read(file);
		if (content == null || !content.startsWith("some ")) {
			return Double.NaN;
		}
		int start = content.indexOf("avg10=");
		if (start < 0) {
			return Double.NaN;
		}
		start += "avg10=".length();
		int end = start;
		while (end < content.length() && content.charAt(end) != ' ' && content.charAt(end) != '\n') {
			end++;
		}
		try {
			return Double.parseDouble(content.substring(start, end)) / 100;
		}
		catch (NumberFormatException ex) {
			return Double.NaN;
		}
	}

	static @Nullable String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static long parseLong(String text) {
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
