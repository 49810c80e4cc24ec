package dev.memoryguard.actuate.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryReading;
import dev.memoryguard.MemorySampleListener;
import dev.memoryguard.MemorySnapshot;
import dev.memoryguard.job.JobOutcome;
import dev.memoryguard.job.JobOutcomeListener;
import dev.memoryguard.job.JobStats;

/**
 * The last {@link #WINDOW 15 minutes} of the guard's periodic readings, one
 * {@link HistoryPoint} per sampling interval, so that a chart has a past the moment it
 * opens.
 * <p>
 * A ring buffer of fixed capacity (the window divided by the sampling interval): memory
 * stays constant however long the application runs, and a sample allocates nothing but
 * its point. Job outcome counts are kept as running totals fed by the
 * {@link dev.memoryguard.job.JobAccounting job accounting}, not recomputed per sample.
 * Feed it with {@link #attachTo(MemoryGuard)}.
 */
public class MemoryHistory implements MemorySampleListener, JobOutcomeListener {

	/**
	 * How far back the history reaches.
	 */
	public static final Duration WINDOW = Duration.ofMinutes(15);

	private final HistoryPoint[] points;

	private final LongAdder runs = new LongAdder();

	private final LongAdder skipped = new LongAdder();

	private final LongAdder deferred = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private int next;

	private int size;

	/**
	 * Creates a history that holds {@link #WINDOW} at the given sampling interval.
	 * @param samplingInterval the time between two samples
	 */
	public MemoryHistory(Duration samplingInterval) {
		this(capacityFor(samplingInterval));
	}

	/**
	 * Creates a history that holds the given number of points.
	 * @param capacity the number of points kept, at least 1
	 */
	public MemoryHistory(int capacity) {
		Assert.isTrue(capacity > 0, "capacity must be positive");
		this.points = new HistoryPoint[capacity];
	}

	/**
	 * Returns the number of points that hold {@link #WINDOW} at the given interval.
	 * @param samplingInterval the time between two samples
	 * @return the capacity, at least 1
	 */
	public static int capacityFor(Duration samplingInterval) {
		Assert.isTrue(!samplingInterval.isNegative() && !samplingInterval.isZero(), "samplingInterval must be positive");
		long capacity = (WINDOW.toNanos() + samplingInterval.toNanos() - 1) / samplingInterval.toNanos();
		return (int) Math.max(1, capacity);
	}

	/**
	 * Starts recording the guard's periodic readings and the outcomes of its jobs. Job
	 * outcomes recorded before this call are counted in the totals.
	 * @param guard the guard
	 * @return this history
	 */
	public MemoryHistory attachTo(MemoryGuard guard) {
		guard.jobs().addListener(this);
		for (JobStats stats : guard.jobs().stats().values()) {
			this.runs.add(stats.runs());
			this.skipped.add(stats.skipped());
			this.deferred.add(stats.deferred());
			this.failed.add(stats.failed());
		}
		guard.addSampleListener(this);
		return this;
	}

	@Override
	public void onSample(MemorySnapshot snapshot) {
		MemoryReading reading = snapshot.reading();
		HistoryPoint point = new HistoryPoint(snapshot.timestamp(), snapshot.pressure(), reading.liveRatio(),
				reading.usedRatio(), orNull(reading.rssRatio()), orNull(reading.containerRatio()), this.runs.sum(),
				this.skipped.sum(), this.deferred.sum(), this.failed.sum());
		add(point);
	}

	private static @Nullable Double orNull(double ratio) {
		return Double.isNaN(ratio) ? null : ratio;
	}

	@Override
	public void recorded(String job, JobOutcome outcome, long allocatedBytes, Duration duration) {
		switch (outcome) {
			case RAN -> this.runs.increment();
			case SKIPPED -> this.skipped.increment();
			case DEFERRED -> this.deferred.increment();
			case FAILED -> this.failed.increment();
		}
	}

	/**
	 * Adds a point, dropping the oldest one when the history is full.
	 * @param point the point
	 */
	public synchronized void add(HistoryPoint point) {
		this.points[this.next] = point;
		this.next = (this.next + 1) % this.points.length;
		if (this.size < this.points.length) {
			this.size++;
		}
	}

	/**
	 * Returns the points held, oldest first.
	 * @return a copy of the points
	 */
	public synchronized List<HistoryPoint> points() {
		List<HistoryPoint> result = new ArrayList<>(this.size);
		int oldest = (this.next - this.size + this.points.length) % this.points.length;
		for (int i = 0; i < this.size; i++) {
			result.add(this.points[(oldest + i) % this.points.length]);
		}
		return result;
	}

	/**
	 * Returns how many points the history holds at most.
	 * @return the capacity
	 */
	public int capacity() {
		return this.points.length;
	}

}
