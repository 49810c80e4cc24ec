package dev.memoryguard;

/**
 * Callback for changes of the {@link MemoryPressure} level. Listeners run on the thread
 * that observed the change (the guard's sampler or the GC notification thread): keep them
 * quick and hand slow work to an executor.
 *
 * @see MemoryGuard#addListener(MemoryPressureListener)
 */
@FunctionalInterface
public interface MemoryPressureListener {

	/**
	 * Called once for each change of level.
	 * @param event the change
	 */
	void onPressureChanged(MemoryPressureChangedEvent event);

}
