package dev.memoryguard;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the {@link MemoryPressure} level changes: to every
 * {@link MemoryPressureListener} and, in a Spring application, as an application event.
 */
public class MemoryPressureChangedEvent extends ApplicationEvent {

	private final MemoryPressure previous;

	private final MemoryPressure current;

	private final MemorySnapshot snapshot;

	/**
	 * Creates a new event.
	 * @param source the guard that saw the change
	 * @param previous the level before the change
	 * @param current the level after the change
	 * @param snapshot the reading that caused the change
	 */
	public MemoryPressureChangedEvent(Object source, MemoryPressure previous, MemoryPressure current,
			MemorySnapshot snapshot) {
		super(source);
		this.previous = previous;
		this.current = current;
		this.snapshot = snapshot;
	}

	/**
	 * Returns the level before the change.
	 * @return the previous level
	 */
	public MemoryPressure previous() {
		return this.previous;
	}

	/**
	 * Returns the level after the change.
	 * @return the new level
	 */
	public MemoryPressure current() {
		return this.current;
	}

	/**
	 * Returns the reading that caused the change.
	 * @return the snapshot
	 */
	public MemorySnapshot snapshot() {
		return this.snapshot;
	}

	/**
	 * Returns whether the level went up.
	 * @return {@code true} when the new level is worse than the previous one
	 */
	public boolean isWorsening() {
		return this.current.compareTo(this.previous) > 0;
	}

	@Override
	public String toString() {
		return "MemoryPressureChangedEvent[" + this.previous + " -> " + this.current + ", " + this.snapshot + "]";
	}

}
