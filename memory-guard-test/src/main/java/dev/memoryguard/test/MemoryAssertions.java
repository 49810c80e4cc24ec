package dev.memoryguard.test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

import org.springframework.util.unit.DataSize;

import dev.memoryguard.RequestedCollections;
import dev.memoryguard.Sizes;

/**
 * Assertions about what code leaves reachable: that an object can be garbage collected,
 * and that running some code grows the live heap by at most a given size.
 * <pre class="code">
 * import static dev.memoryguard.test.MemoryAssertions.assertCollectable;
 * import static dev.memoryguard.test.MemoryAssertions.assertRetainedAtMost;
 *
 * assertCollectable(this.sessions.remove(id));             // nothing else holds the session
 * assertCollectable(() -&gt; this.factory.newConnection());  // the factory keeps no reference
 * assertRetainedAtMost(DataSize.ofMegabytes(2), () -&gt; this.importer.importAll(files));
 * </pre>
 * Both work with full collections ({@link System#gc()}); with
 * {@code -XX:+DisableExplicitGC} they cannot, and say so when they fail.
 */
public final class MemoryAssertions {

	/**
	 * How long {@link #assertCollectable(Object)} waits for the object to be collected
	 * unless told otherwise: 5 seconds.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private MemoryAssertions() {
	}

	/**
	 * Asserts that nothing keeps {@code object} reachable: it is collected within
	 * {@link #DEFAULT_TIMEOUT}. Pass it in a way that leaves no reference behind in the
	 * test itself, such as the result of a call ({@code assertCollectable(map.remove(key))}):
	 * a local variable of the test method keeps the object reachable. Objects reachable
	 * through soft references only count as reachable.
	 * @param object the object expected to be unreachable
	 * @throws AssertionFailedError when it is still reachable after the timeout
	 */
	public static void assertCollectable(@Nullable Object object) {
		if (object == null) {
			throw new AssertionFailedError("Expected an object to be collectable, but it was null");
		}
		// not delegated to the overload: this frame's parameter would keep the object reachable
		WeakReference<Object> reference = new WeakReference<>(object);
		String type = object.getClass().getName();
		object = null;
		awaitCollected(reference, type, DEFAULT_TIMEOUT);
	}

	/**
	 * Asserts that nothing keeps {@code object} reachable: it is collected within
	 * {@code timeout}. See {@link #assertCollectable(Object)}.
	 * @param object the object expected to be unreachable
	 * @param timeout how long to wait for its collection
	 * @throws AssertionFailedError when it is still reachable after the timeout
	 */
	public static void assertCollectable(@Nullable Object object, Duration timeout) {
		if (object == null) {
			throw new AssertionFailedError("Expected an object to be collectable, but it was null");
		}
		WeakReference<Object> reference = new WeakReference<>(object);
		String type = object.getClass().getName();
		object = null;
		awaitCollected(reference, type, timeout);
	}

	/**
	 * Asserts that the object {@code creator} returns is not kept reachable by anything:
	 * it is collected within {@link #DEFAULT_TIMEOUT}. The object is never held by the
	 * test, so this is the form to use for code that creates and registers objects.
	 * @param creator creates the object, for example {@code () -> pool.borrow()}
	 * @throws AssertionFailedError when the object is still reachable after the timeout
	 */
	public static void assertCollectable(Supplier<?> creator) {
		assertCollectable(creator, DEFAULT_TIMEOUT);
	}

	/**
	 * Asserts that the object {@code creator} returns is not kept reachable by anything:
	 * it is collected within {@code timeout}.
	 * @param creator creates the object
	 * @param timeout how long to wait for its collection
	 * @throws AssertionFailedError when the object is still reachable after the timeout
	 */
	public static void assertCollectable(Supplier<?> creator, Duration timeout) {
		Object created = creator.get();
		if (created == null) {
			throw new AssertionFailedError("Expected the object created by " + creator
					+ " to be collectable, but it returned null");
		}
		WeakReference<Object> reference = new WeakReference<>(created);
		String type = created.getClass().getName();
		created = null;
		awaitCollected(reference, type, timeout);
	}

	/**
	 * Asserts that running {@code action} grows the live heap by at most {@code max}:
	 * the live heap is read after full collections, repeated until two readings agree,
	 * before and after the action. Memory other threads retain in the meantime counts
	 * too: run such tests alone ({@code @Isolated}, or a {@code @MemoryBudget} with a
	 * {@code retained} budget).
	 * @param max the most the live heap may grow by
	 * @param action the code to run
	 * @throws AssertionFailedError when the live heap grew by more
	 */
	public static void assertRetainedAtMost(DataSize max, Runnable action) {
		if (!LiveHeap.isMeasurable()) {
			throw new AssertionFailedError("Cannot measure what " + action + " retains: the JVM runs with "
					+ "-XX:+DisableExplicitGC, which turns off the full collections the measurement needs");
		}
		long before = LiveHeap.measure();
		action.run();
		long after = LiveHeap.measure(before + max.toBytes());
		long retained = after - before;
		if (retained > max.toBytes()) {
			throw new AssertionFailedError("Expected to retain at most " + Budget.format(max.toBytes())
					+ ", but retained " + Sizes.format(retained) + " (" + LiveHeap.describe(before, after) + ")");
		}
	}

	private static void awaitCollected(WeakReference<Object> reference, String type, Duration timeout) {
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		int collections = 0;
		long pause = 10;
		while (true) {
			System.gc();
			collections++;
			if (reference.refersTo(null)) {
				return;
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				break;
			}
			// whatever holds it may let go by itself: a cleanup on another thread, a queue drained later
			sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
			pause = Math.min(pause * 2, 200);
		}
		String disabled = RequestedCollections.isExplicitGcDisabledByJvm()
				? "; System.gc() does nothing here (-XX:+DisableExplicitGC)" : "";
		throw new AssertionFailedError("Expected the " + type + " to be collectable, but it was still reachable after "
				+ collections + " full collections in " + readable(System.nanoTime() - start) + disabled);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionFailedError("Interrupted while waiting for a collection", ex);
		}
	}

	private static String readable(long nanos) {
		long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
		return (millis < 1000) ? millis + " ms" : String.format("%.1f s", millis / 1000.0);
	}

}
