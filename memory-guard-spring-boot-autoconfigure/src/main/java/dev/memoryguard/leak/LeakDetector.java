package dev.memoryguard.leak;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryReading;
import dev.memoryguard.MemorySampleListener;
import dev.memoryguard.MemorySnapshot;
import dev.memoryguard.Sizes;

/**
 * Watches the guard's live-heap estimate for a leak: a {@link LeakMonitor} that samples
 * the guard's periodic readings (a {@link MemorySampleListener} on the guard's sampler).
 * <p>
 * Over the last {@code window} it measures the growth of the live heap (the lowest
 * reading in the last third of the window against the lowest in the first third) and
 * its least-squares trend. A leak is suspected when the growth exceeds the threshold and
 * the trend rises significantly and steadily, into the last third of the window; never
 * before one full window of history exists. The suspicion is logged once at WARN with
 * the numbers and published as a {@link LeakSuspectedEvent}; it clears when the growth
 * falls below half the threshold or the trend stops rising. The forecast is the time
 * until the live heap would reach max heap at the current trend, {@code null} when it is
 * not rising. Until a full window of history exists the report shows no growth and no
 * forecast.
 * <p>
 * The history keeps at most 1024 points: readings closer together than 1/1024 of the
 * window share one point holding their lowest value.
 */
public class LeakDetector implements LeakMonitor, MemorySampleListener, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(LeakDetector.class);

	private final MemoryGuard guard;

	private final Duration window;

	private final double growthThreshold;

	private final ApplicationEventPublisher publisher;

	private final Clock clock;

	private final LiveHeapHistory history;

	private volatile LeakReport report;

	private volatile boolean running;

	/**
	 * Creates a detector.
	 * @param guard the guard whose live-heap estimate is watched
	 * @param window the window growth is measured over
	 * @param growthThreshold relative growth over the window above which a steady rise
	 * is suspected to be a leak
	 * @param publisher where {@link LeakSuspectedEvent}s go
	 * @param clock the source of reading times
	 */
	public LeakDetector(MemoryGuard guard, Duration window, double growthThreshold,
			ApplicationEventPublisher publisher, Clock clock) {
		Assert.isTrue(!window.isNegative() && !window.isZero(), "window must be positive");
		Assert.isTrue(growthThreshold > 0, "growthThreshold must be positive");
		this.guard = guard;
		this.window = window;
		this.growthThreshold = growthThreshold;
		this.publisher = publisher;
		this.clock = clock;
		this.history = new LiveHeapHistory(window);
		this.report = new LeakReport(false, 0.0, window, null);
	}

	@Override
	public LeakReport report() {
		return this.report;
	}

	/**
	 * Takes the guard's latest reading into the history and updates the report.
	 * @return the updated report
	 */
	public LeakReport sample() {
		return record(this.guard.snapshot().reading());
	}

	/**
	 * Takes one of the guard's periodic readings into the history.
	 * @param snapshot the reading
	 */
	@Override
	public void onSample(MemorySnapshot snapshot) {
		record(snapshot.reading());
	}

	private LeakReport record(MemoryReading reading) {
		return record(this.clock.millis(), reading.liveHeap(), reading.heapCapacity());
	}

	synchronized LeakReport record(long timeMillis, long liveHeap, long maxHeap) {
		if (liveHeap < 0) {
			return this.report;
		}
		this.history.add(timeMillis, liveHeap);
		LiveHeapHistory.Trend trend = this.history.analyze(maxHeap);
		LeakReport previous = this.report;
		if (trend == null) {
			this.report = new LeakReport(false, 0.0, this.window, null);
			if (previous.suspected()) {
				logger.info("Leak suspicion cleared: too few readings in the last {}", this.window);
			}
			return this.report;
		}
		boolean suspected = previous.suspected()
				? trend.growth() > this.growthThreshold / 2 && trend.forecast() != null
				: trend.growth() > this.growthThreshold && trend.steady();
		LeakReport current = new LeakReport(suspected, trend.growth(), this.window, trend.forecast());
		this.report = current;
		if (suspected && !previous.suspected()) {
			logSuspicion(trend, maxHeap);
			this.publisher.publishEvent(new LeakSuspectedEvent(this, current, liveHeap, maxHeap));
		}
		else if (!suspected && previous.suspected()) {
			logger.info("Leak suspicion cleared: live heap grew {}% over the last {}, trend {} MB/min",
					percent(trend.growth()), this.window, perMinute(trend.bytesPerSecond()));
		}
		return current;
	}

	private void logSuspicion(LiveHeapHistory.Trend trend, long maxHeap) {
		Duration forecast = trend.forecast();
		String when = (forecast != null)
				? "reaches the max heap of " + Sizes.format(maxHeap) + " in about " + forecast.truncatedTo(ChronoUnit.SECONDS)
				: "is not forecast";
		logger.warn(
				"Memory leak suspected: live heap grew {}% over the last {} (lowest readings {} -> {}, threshold {}%), "
						+ "trend +{} MB/min; at this trend it {}",
				percent(trend.growth()), this.window, Sizes.format(trend.start()), Sizes.format(trend.end()),
				percent(this.growthThreshold), perMinute(trend.bytesPerSecond()), when);
	}

	private static String perMinute(double bytesPerSecond) {
		return String.format("%.2f", bytesPerSecond * 60 / 1048576.0);
	}

	private static long percent(double fraction) {
		return Math.round(fraction * 100);
	}

	@Override
	public void start() {
		this.guard.addSampleListener(this);
		this.running = true;
		logger.debug("Leak detection active: growth over {} above {}%", this.window, percent(this.growthThreshold));
	}

	@Override
	public void stop() {
		this.guard.removeSampleListener(this);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Starts after and stops before the {@link MemoryGuard} it reads.
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return MemoryGuard.PHASE + 1;
	}

}
