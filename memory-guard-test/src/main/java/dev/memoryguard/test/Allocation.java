package dev.memoryguard.test;

import org.jspecify.annotations.Nullable;

import dev.memoryguard.Sizes;
import dev.memoryguard.job.ThreadAllocation;

/**
 * What a test method allocated, on its own thread or on all threads, read around its
 * invocation.
 */
final class Allocation {

	private final Threads threads;

	private final long threadBefore;

	private final @Nullable AllThreadsAllocation allThreads;

	private long bytes = -1;

	private String top = "";

	private Allocation(Threads threads) {
		this.threads = threads;
		this.allThreads = (threads == Threads.ALL && AllThreadsAllocation.isSupported()) ? AllThreadsAllocation.start()
				: null;
		// read last, so that setting up is not counted
		this.threadBefore = (threads == Threads.CURRENT) ? ThreadAllocation.currentThreadAllocatedBytes() : -1;
	}

	static Allocation start(Threads threads) {
		return new Allocation(threads);
	}

	void stop() {
		if (this.threads == Threads.CURRENT) {
			this.bytes = ThreadAllocation.allocatedSince(this.threadBefore);
		}
		else if (this.allThreads != null) {
			AllThreadsAllocation.Measured measured = this.allThreads.stop();
			this.bytes = measured.bytes();
			this.top = measured.top();
		}
	}

	/**
	 * Returns the bytes allocated, {@code -1} when the JVM could not count them.
	 */
	long bytes() {
		return this.bytes;
	}

	/**
	 * Returns the figure and whose it is, for a failure message:
	 * {@code 73.4 MB (test thread)}.
	 */
	String summary() {
		if (this.bytes < 0) {
			return "an unknown amount (" + unknownReason() + ")";
		}
		return Sizes.format(this.bytes) + " (" + whose() + ")";
	}

	/**
	 * Returns what follows the budget in a failure message: the threads that allocated
	 * most, when all threads count.
	 */
	String detail() {
		return this.top.isEmpty() ? "" : "; top threads: " + this.top;
	}

	/**
	 * Returns the figure for a report entry, exact bytes included.
	 */
	String describe() {
		if (this.bytes < 0) {
			return "unknown (" + unknownReason() + ")";
		}
		return Sizes.format(this.bytes) + " (" + this.bytes + " bytes, " + whose() + ")";
	}

	private String whose() {
		if (this.threads == Threads.CURRENT) {
			return "test thread";
		}
		return AllThreadsAllocation.countsEndedThreads() ? "all threads"
				: "all threads; threads that ended during the test are not counted on this JDK";
	}

	private String unknownReason() {
		if (ThreadAllocation.isVirtualThread()) {
			return "the test runs on a virtual thread, whose allocation the JVM does not count; "
					+ "use threads = Threads.ALL";
		}
		return "this JVM does not count allocation per thread";
	}

}
