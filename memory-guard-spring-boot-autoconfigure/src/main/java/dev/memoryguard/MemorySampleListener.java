package dev.memoryguard;

/**
 * Callback for every periodic reading of the guard's sampler (once per sampling
 * interval, not on readings triggered by collections), for consumers that need an evenly
 * spaced series such as history and leak detection. Runs on the sampler thread: keep it
 * cheap.
 *
 * @see MemoryGuard#addSampleListener(MemorySampleListener)
 */
@FunctionalInterface
public interface MemorySampleListener {

	/**
	 * Called once per sampling interval.
	 * @param snapshot the reading just taken
	 */
	void onSample(MemorySnapshot snapshot);

}
