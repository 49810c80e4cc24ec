package dev.memoryguard.leak;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What the leak detector currently thinks, as reported by {@code /actuator/memory/leak}.
 *
 * @param suspected whether a leak is suspected
 * @param growthRatio growth of the live heap over the window, relative to its start
 * @param window the window the growth is measured over
 * @param exhaustionForecast time until the live heap would reach max heap at the current
 * trend, {@code null} when it is not rising
 */
public record LeakReport(boolean suspected, double growthRatio, Duration window,
		@Nullable Duration exhaustionForecast) {

}
