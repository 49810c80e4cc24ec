package dev.memoryguard.cache;

import org.jspecify.annotations.Nullable;

/**
 * Figures of one guarded cache, as reported by {@code /actuator/memory/caches}. Never
 * holds keys or values.
 *
 * @param size number of entries
 * @param weightedSize estimated bytes held by the entries
 * @param maxEntries bound in entries, {@code null} when bounded by size only
 * @param maxSize bound in bytes, {@code null} when bounded by entries only
 * @param hitRatio hits over requests since start, {@code 0} before the first request
 * @param evictions entries evicted since start
 */
public record CacheReport(long size, long weightedSize, @Nullable Long maxEntries, @Nullable Long maxSize,
		double hitRatio, long evictions) {

}
