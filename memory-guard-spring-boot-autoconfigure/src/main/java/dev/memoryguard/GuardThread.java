package dev.memoryguard;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A daemon thread of the guard's own: the evaluator and the listener lanes. Work started
 * on one of them never waits for the others, which is how the guard knows not to wait for
 * its own listeners.
 */
final class GuardThread extends Thread {

	GuardThread(Runnable task, String name) {
		super(task, name);
		setDaemon(true);
	}

	static boolean isCurrent() {
		return Thread.currentThread() instanceof GuardThread;
	}

	static ThreadFactory factory(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> new GuardThread(task, prefix + count.incrementAndGet());
	}

}
