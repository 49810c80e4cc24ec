package dev.memoryguard.dashboard;

import java.time.Duration;
import java.util.List;

import dev.memoryguard.actuate.history.HistoryPoint;
import dev.memoryguard.actuate.history.MemoryHistory;
import dev.memoryguard.leak.LeakMonitor;
import dev.memoryguard.leak.LeakReport;

/**
 * A simple {@link LeakMonitor} for the screenshot test: the live heap's growth from the
 * first to the last point of the {@link MemoryHistory}, over the span it covers, and a
 * straight-line forecast.
 */
class HistoryTrendLeakMonitor implements LeakMonitor {

	private final MemoryHistory history;

	HistoryTrendLeakMonitor(MemoryHistory history) {
		this.history = history;
	}

	@Override
	public LeakReport report() {
		List<HistoryPoint> points = this.history.points();
		if (points.size() < 2) {
			return new LeakReport(false, 0.0, MemoryHistory.WINDOW, null);
		}
		HistoryPoint first = points.get(0);
		HistoryPoint last = points.get(points.size() - 1);
		Duration span = Duration.between(first.timestamp(), last.timestamp());
		double growth = (first.liveRatio() > 0) ? last.liveRatio() / first.liveRatio() - 1 : 0.0;
		double perSecond = span.isZero() ? 0.0 : (last.liveRatio() - first.liveRatio()) / (span.toMillis() / 1000.0);
		Duration forecast = (perSecond > 0) ? Duration.ofSeconds((long) ((1.0 - last.liveRatio()) / perSecond)) : null;
		return new LeakReport(growth > 0.5, growth, span, forecast);
	}

}
