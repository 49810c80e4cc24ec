package dev.memoryguard;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

/**
 * Logs a recurring failure without flooding the log: the first one with its stack trace,
 * then at most one line a minute with how many happened since.
 */
final class FailureLog {

	private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final Logger logger;

	private final String what;

	private long lastLoggedNanos;

	private boolean loggedBefore;

	private long suppressed;

	FailureLog(Logger logger, String what) {
		this.logger = logger;
		this.what = what;
	}

	synchronized void failed(Throwable ex) {
		long now = System.nanoTime();
		if (!this.loggedBefore) {
			this.loggedBefore = true;
			this.lastLoggedNanos = now;
			this.logger.error("{} failed; the guard goes on", this.what, ex);
			return;
		}
		this.suppressed++;
		if (now - this.lastLoggedNanos >= QUIET_NANOS) {
			this.logger.error("{} failed {} more times in the last minute; latest: {}", this.what, this.suppressed,
					ex.toString());
			this.suppressed = 0;
			this.lastLoggedNanos = now;
		}
	}

}
