package dev.memoryguard.cache;

import org.jspecify.annotations.Nullable;

/**
 * Figures of one guarded cache, as reported by {@code /actuator/memory/caches}. Never
 * holds keys or values. A figure the guard cannot know is {@code null}, never 0.
 *
 * @param manager name of the cache manager bean that holds it, {@code null} for a cache
 * built through the registry
 * @param kind what kind of cache it is
 * @param size number of entries, {@code null} where the cache cannot tell
 * @param weightedSize estimated bytes held by the entries, {@code null} where they cannot
 * be estimated
 * @param maxEntries bound in entries in effect now, {@code null} for none
 * @param maxSize bound in bytes in effect now, {@code null} for none
 * @param hitRatio hits over requests since start, {@code null} where the cache records no
 * statistics or nothing was requested yet
 * @param evictions entries evicted since start, {@code null} where the cache records no
 * statistics
 */
public record CacheReport(@Nullable String manager, CacheKind kind, @Nullable Long size, @Nullable Long weightedSize,
		@Nullable Long maxEntries, @Nullable Long maxSize, @Nullable Double hitRatio, @Nullable Long evictions) {

}
