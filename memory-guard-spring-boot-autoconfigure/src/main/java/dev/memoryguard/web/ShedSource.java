package dev.memoryguard.web;

import java.util.Locale;

/**
 * Where a request was refused: the {@code source} tag of the
 * {@code memory.guard.http.shed} meter.
 */
public enum ShedSource {

	/**
	 * Refused by the admission filter before it was read.
	 */
	ADMISSION,

	/**
	 * Refused by a {@link dev.memoryguard.MemoryPressureException} that left a handler.
	 */
	HANDLER;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/**
	 * Returns the meter tag value: {@code admission} or {@code handler}.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

}
