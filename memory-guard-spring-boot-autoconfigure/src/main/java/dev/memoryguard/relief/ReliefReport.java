package dev.memoryguard.relief;

import java.time.Instant;
import java.util.List;

/**
 * Outcome of one relief run.
 *
 * @param trigger what started it, such as {@code "critical"} or {@code "endpoint"}
 * @param timestamp when it started
 * @param liveBefore live heap estimate before, in bytes
 * @param liveAfter live heap estimate after, in bytes
 * @param freed sum of what the actions reported freeing, in bytes
 * @param actions each action's outcome, in the order they ran
 */
public record ReliefReport(String trigger, Instant timestamp, long liveBefore, long liveAfter, long freed,
		List<ActionReport> actions) {

}
