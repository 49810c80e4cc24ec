package dev.memoryguard.jdbc;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A little heap set aside for closing a stream after an {@link OutOfMemoryError}: while
 * the caller still holds what exhausted the heap, aborting a connection and giving it
 * back to the pool must allocate too, and a pool whose release fails halfway keeps the
 * connection as in use for good. The reserve is let go when a stream fails that way and
 * taken again by a later call.
 */
final class CleanupReserve {

	private static final int SIZE = 512 * 1024;

	private static final AtomicReference<byte[]> reserve = new AtomicReference<>();

	private CleanupReserve() {
	}

	/**
	 * Sets the reserve aside again where it was let go (or never taken).
	 */
	static void take() {
		if (reserve.get() == null) {
			try {
				reserve.compareAndSet(null, new byte[SIZE]);
			}
			catch (OutOfMemoryError ex) {
				// still short: the next call tries again
			}
		}
	}

	/**
	 * Lets the reserve go, so that the next collection can give it to the cleanup.
	 * @param failure what ended the stream
	 */
	static void release(Throwable failure) {
		if (failure instanceof VirtualMachineError) {
			reserve.set(null);
		}
	}

}
