package dev.memoryguard;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when work is refused because memory is short.
 * <p>
 * Refusals come in floods exactly when memory is shortest, so by default the exception
 * carries no stack trace: filling one in walks the stack and allocates for every refused
 * call. The refused operation and the reading say why.
 *
 * @see MemoryGuard#check()
 */
public class MemoryPressureException extends RuntimeException {

	private final MemorySnapshot snapshot;

	private final @Nullable String operation;

	/**
	 * Creates a new exception without a stack trace.
	 * @param message the detail message
	 * @param snapshot the reading that caused the refusal
	 * @param operation the refused operation or job, if known
	 */
	public MemoryPressureException(String message, MemorySnapshot snapshot, @Nullable String operation) {
		this(message, snapshot, operation, false);
	}

	/**
	 * Creates a new exception.
	 * @param message the detail message
	 * @param snapshot the reading that caused the refusal
	 * @param operation the refused operation or job, if known
	 * @param writableStackTrace whether the exception records where it was thrown
	 */
	public MemoryPressureException(String message, MemorySnapshot snapshot, @Nullable String operation,
			boolean writableStackTrace) {
		super(message, null, true, writableStackTrace);
		this.snapshot = snapshot;
		this.operation = operation;
	}

	/**
	 * Returns the reading that caused the refusal.
	 * @return the snapshot
	 */
	public MemorySnapshot getSnapshot() {
		return this.snapshot;
	}

	/**
	 * Returns the name of the refused operation or job.
	 * @return the operation name, or {@code null} for a plain {@link MemoryGuard#check()}
	 */
	public @Nullable String getOperation() {
		return this.operation;
	}

}
