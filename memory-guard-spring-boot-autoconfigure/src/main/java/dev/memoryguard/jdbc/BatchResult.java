package dev.memoryguard.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * What a memory-aware batch run did.
 *
 * @param rows the rows (or items) handed to the handler
 * @param batches the handler calls
 * @param stoppedEarly whether the run ended before its source was exhausted, because of
 * memory pressure or a limit set in {@link BatchOptions}
 * @param stopReason why the run stopped early, {@code null} when it went to the end
 * @param smallestBatch the smallest batch size the adaptive sizing chose (the configured
 * batch size when memory never came under pressure)
 */
public record BatchResult(long rows, long batches, boolean stoppedEarly, @Nullable String stopReason,
		int smallestBatch) {

}
