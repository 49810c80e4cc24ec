package dev.memoryguard.actuate.history;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.jspecify.annotations.Nullable;

import dev.memoryguard.MemoryPressure;

/**
 * One point of the {@link MemoryHistory}, as reported by {@code /actuator/memory/history}.
 * Job counts are cumulative totals over every guarded job since the history started, so
 * the outcomes between two points are the difference of their counts.
 *
 * @param timestamp when the reading was taken
 * @param pressure the level in force after the reading
 * @param liveRatio live heap after GC as a fraction of max heap
 * @param usedRatio heap in use (garbage included) as a fraction of max heap
 * @param rssRatio process RSS as a fraction of the container limit, {@code null} when
 * there is no limit
 * @param containerRatio the container signal that drives the level (memory outside the
 * heap over the room the limit leaves beyond max heap), {@code null} when there is no
 * limit
 * @param runs guarded runs that ran, all jobs together
 * @param skipped guarded calls that were skipped, all jobs together
 * @param deferred guarded calls that were deferred, all jobs together
 * @param failed guarded calls refused with an exception, all jobs together
 */
@JsonInclude(Include.ALWAYS)
public record HistoryPoint(Instant timestamp, MemoryPressure pressure, double liveRatio, double usedRatio,
		@Nullable Double rssRatio, @Nullable Double containerRatio, long runs, long skipped, long deferred,
		long failed) {

}
