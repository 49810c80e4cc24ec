package dev.memoryguard.container;

/**
 * The container signal: how much of the memory a limit leaves beyond the heap's maximum
 * is taken by what lies outside the heap.
 * <p>
 * Heap memory has its own signal (the live heap after collection); counting it here again
 * would keep a healthy service with a large, committed heap (the usual
 * {@code -XX:MaxRAMPercentage=75}, or {@code -Xms} equal to {@code -Xmx}) near the
 * container thresholds for good, and nothing the guard can do would lower it. What kills a
 * container is the rest growing into the room the heap's maximum leaves: native buffers,
 * threads, metaspace, a child process, tmpfs files. So the signal is
 * <pre>
 * outside heap = max(working set - committed heap, non-heap in use + direct buffers)
 * signal       = outside heap / (limit - max heap)
 * </pre>
 * The second term of the maximum is memory the JVM knows to be outside the heap; it
 * keeps the signal honest where committed heap pages were never touched (and so are not
 * part of the working set). Where the heap's maximum plus what is already outside it
 * leave no room under the limit, the room is meaningless and the signal falls back to
 * working set over limit.
 */
public final class ContainerSignal {

	private ContainerSignal() {
	}

	/**
	 * Returns the bytes outside the heap: working set less committed heap, at least what
	 * the JVM knows to be outside it.
	 * @param workingSet the cgroup's working set
	 * @param heapCommitted the committed heap
	 * @param knownOffHeap non-heap memory in use plus direct buffers
	 * @return the bytes outside the heap, {@code -1} when the working set is unknown
	 */
	public static long outsideHeap(long workingSet, long heapCommitted, long knownOffHeap) {
		if (workingSet < 0) {
			return -1;
		}
		return Math.max(Math.max(0, workingSet - Math.max(0, heapCommitted)), Math.max(0, knownOffHeap));
	}

	/**
	 * Returns whether the limit leaves room outside the heap: more than the heap's
	 * maximum plus what is already known to be outside it.
	 * @param limit the limit
	 * @param heapMax the heap's maximum
	 * @param knownOffHeap non-heap memory in use plus direct buffers
	 * @return whether the outside-heap signal is meaningful
	 */
	public static boolean leavesRoom(long limit, long heapMax, long knownOffHeap) {
		return limit > 0 && limit - heapMax > Math.max(0, knownOffHeap);
	}

	/**
	 * Returns the signal against a limit: outside heap over the room beyond max heap, or
	 * working set over limit where the limit leaves no room.
	 * @param workingSet the cgroup's working set
	 * @param limit the limit ({@code memory.max}, or {@code memory.high} for the warning
	 * signal)
	 * @param heapCommitted the committed heap
	 * @param heapMax the heap's maximum
	 * @param knownOffHeap non-heap memory in use plus direct buffers
	 * @return the ratio, {@code NaN} without a limit or a working set
	 */
	public static double ratio(long workingSet, long limit, long heapCommitted, long heapMax, long knownOffHeap) {
		if (limit <= 0 || workingSet < 0) {
			return Double.NaN;
		}
		if (!leavesRoom(limit, heapMax, knownOffHeap)) {
			return (double) workingSet / limit;
		}
		return (double) outsideHeap(workingSet, heapCommitted, knownOffHeap) / (limit - heapMax);
	}

}
