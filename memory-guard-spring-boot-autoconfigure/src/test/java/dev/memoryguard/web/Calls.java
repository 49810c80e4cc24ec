package dev.memoryguard.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the test applications' handlers record: how often each ran, and a gate that holds
 * requests in flight until the test opens it.
 */
public class Calls {

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private final AtomicInteger waiting = new AtomicInteger();

	public void hit(String handler) {
		this.counts.computeIfAbsent(handler, (name) -> new AtomicInteger()).incrementAndGet();
	}

	public int count(String handler) {
		AtomicInteger count = this.counts.get(handler);
		return (count != null) ? count.get() : 0;
	}

	public void reset() {
		this.counts.clear();
	}

	public void close() {
		this.gate = new CountDownLatch(1);
	}

	public void open() {
		this.gate.countDown();
	}

	public int waiting() {
		return this.waiting.get();
	}

	public void await() {
		this.waiting.incrementAndGet();
		try {
			if (!this.gate.await(20, TimeUnit.SECONDS)) {
				throw new IllegalStateException("gate stayed closed");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			this.waiting.decrementAndGet();
		}
	}

}
