package dev.memoryguard.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup when a {@code memory-guard.*} property has a value the guard cannot
 * work with.
 */
public class InvalidMemoryGuardPropertyException extends RuntimeException {

	private final String property;

	private final @Nullable Object value;

	private final String fix;

	/**
	 * Creates a new exception.
	 * @param property the full property name
	 * @param value the offending value
	 * @param problem what is wrong with it
	 * @param fix what to write instead
	 */
	public InvalidMemoryGuardPropertyException(String property, @Nullable Object value, String problem, String fix) {
		super("Invalid value '" + value + "' for property '" + property + "': " + problem);
		this.property = property;
		this.value = value;
		this.fix = fix;
	}

	/**
	 * Returns the full name of the offending property.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Returns the offending value.
	 * @return the value
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

	/**
	 * Returns what to write instead.
	 * @return the fix
	 */
	public String getFix() {
		return this.fix;
	}

}
