package dev.memoryguard.leak;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryReading;

/**
 * Watches the guard's live-heap estimate for a leak: a {@link LeakMonitor} that samples
 * {@link MemoryGuard#snapshot()} at the sampling interval on its own daemon thread.
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
public class LeakDetector implements LeakMonitor, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(LeakDetector.class);

	private final MemoryGuard guard;

	private final Duration window;

	private final double growthThreshold;

	private final Duration samplingInterval;

	private final ApplicationEventPublisher publisher;

	private final Clock clock;

	private final LiveHeapHistory history;

	private final Object lifecycleMonitor = new Object();

	private volatile LeakReport report;

	private volatile @Nullable ScheduledExecutorService sampler;

	/**
	 * Creates a detector.
	 * @param guard the guard whose live-heap estimate is watched
	 * @param window the window growth is measured over
	 * @param growthThreshold relative growth over the window above which a steady rise
	 * is suspected to be a leak
	 * @param samplingInterval the time between readings
	 * @param publisher where {@link LeakSuspectedEvent}s go
	 * @param clock the source of reading times
	 */
	public LeakDetector(MemoryGuard guard, Duration window, double growthThreshold, Duration samplingInterval,
			ApplicationEventPublisher publisher, Clock clock) {
		Assert.isTrue(!window.isNegative() && !window.isZero(), "window must be positive");
		Assert.isTrue(growthThreshold > 0, "growthThreshold must be positive");
		Assert.isTrue(!samplingInterval.isNegative() && !samplingInterval.isZero(),
				"samplingInterval must be positive");
		this.guard = guard;
		this.window = window;
		this.growthThreshold = growthThreshold;
		this.samplingInterval = samplingInterval;
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
	 * Takes the guard's latest reading into the history and updates the report. The
	 * detector's own thread calls this at the sampling interval.
	 * @return the updated report
	 */
	public LeakReport sample() {
		MemoryReading reading = this.guard.snapshot().reading();
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
				? "reaches the max heap of " + mb(maxHeap) + " in about " + forecast.truncatedTo(ChronoUnit.SECONDS)
				: "is not forecast";
		logger.warn(
				"Memory leak suspected: live heap grew {}% over the last {} (lowest readings {} -> {}, threshold {}%), "
						+ "trend +{} MB/min; at this trend it {}",
				percent(trend.growth()), this.window, mb(trend.start()), mb(trend.end()),
				percent(this.growthThreshold), perMinute(trend.bytesPerSecond()), when);
	}

	private static String mb(long bytes) {
		return String.format("%.1f MB", bytes / 1048576.0);
	}

	private static String perMinute(double bytesPerSecond) {
		return String.format("%.2f", bytesPerSecond * 60 / 1048576.0);
	}

	private static long percent(double fraction) {
		return Math.round(fraction * 100);
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.sampler != null) {
				return;
			}
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "memory-guard-leak");
				thread.setDaemon(true);
				return thread;
			});
			long interval = this.samplingInterval.toMillis();
			executor.scheduleWithFixedDelay(this::sampleQuietly, 0, Math.max(1, interval), TimeUnit.MILLISECONDS);
			this.sampler = executor;
		}
		logger.debug("Leak detection active: growth over {} above {}%", this.window, percent(this.growthThreshold));
	}

	private void sampleQuietly() {
		try {
			sample();
		}
		catch (RuntimeException ex) {
			logger.warn("Leak detector reading failed; trying again in {}", this.samplingInterval, ex);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor;
		synchronized (this.lifecycleMonitor) {
			executor = this.sampler;
			this.sampler = null;
		}
		if (executor != null) {
			executor.shutdownNow();
			try {
				executor.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.sampler != null;
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
