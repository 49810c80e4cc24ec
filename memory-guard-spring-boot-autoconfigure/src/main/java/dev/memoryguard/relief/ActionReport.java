package dev.memoryguard.relief;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Outcome of one relief action.
 *
 * @param name the action's name
 * @param succeeded whether it completed without throwing
 * @param freed bytes it reported freeing
 * @param duration how long it ran
 * @param error the failure message, {@code null} when it succeeded
 */
public record ActionReport(String name, boolean succeeded, long freed, Duration duration, @Nullable String error) {

}
