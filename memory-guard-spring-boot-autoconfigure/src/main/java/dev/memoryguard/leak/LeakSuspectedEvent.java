package dev.memoryguard.leak;

import org.springframework.context.ApplicationEvent;

/**
 * Published once when the {@link LeakDetector} starts to suspect a leak: the live heap
 * grew by more than {@code memory-guard.leak.growth-threshold} over the window, steadily.
 * Published again only after the suspicion has cleared and been raised anew.
 */
public class LeakSuspectedEvent extends ApplicationEvent {

	private final LeakReport report;

	private final long liveHeap;

	private final long maxHeap;

	/**
	 * Creates a new event.
	 * @param source the detector
	 * @param report the report that raised the suspicion
	 * @param liveHeap the live-heap estimate at the time, in bytes
	 * @param maxHeap the max heap, in bytes
	 */
	public LeakSuspectedEvent(Object source, LeakReport report, long liveHeap, long maxHeap) {
		super(source);
		this.report = report;
		this.liveHeap = liveHeap;
		this.maxHeap = maxHeap;
	}

	/**
	 * Returns the report that raised the suspicion.
	 * @return the report
	 */
	public LeakReport report() {
		return this.report;
	}

	/**
	 * Returns the live-heap estimate when the suspicion was raised.
	 * @return the live heap in bytes
	 */
	public long liveHeap() {
		return this.liveHeap;
	}

	/**
	 * Returns the max heap.
	 * @return the max heap in bytes
	 */
	public long maxHeap() {
		return this.maxHeap;
	}

	@Override
	public String toString() {
		return "LeakSuspectedEvent[" + this.report + "]";
	}

}
