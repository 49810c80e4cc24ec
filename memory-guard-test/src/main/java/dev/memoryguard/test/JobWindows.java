package dev.memoryguard.test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.job.JobAccounting;
import dev.memoryguard.job.JobOutcome;
import dev.memoryguard.job.JobOutcomeListener;
import dev.memoryguard.job.JobStats;

/**
 * The outcomes of guarded jobs while one test method runs, so that
 * {@link MemoryGuardAssertions#assertThatJob} counts what this test did, not what earlier
 * tests sharing the cached application context did. A window is open on the test's
 * thread from just before the test method to just after it; jobs may run on any thread
 * in between.
 */
final class JobWindows {

	private static final Map<JobAccounting, Recorder> recorders = Collections.synchronizedMap(new WeakHashMap<>());

	private static final ThreadLocal<@Nullable Window> current = new ThreadLocal<>();

	private JobWindows() {
	}

	/**
	 * Opens a window on the guard's jobs for the test running on this thread.
	 */
	static Window open(MemoryGuard guard) {
		Recorder recorder = recorders.computeIfAbsent(guard.jobs(), (jobs) -> {
			Recorder created = new Recorder();
			jobs.addListener(created);
			return created;
		});
		Window window = new Window(guard.jobs(), recorder);
		recorder.windows.add(window);
		current.set(window);
		return window;
	}

	/**
	 * Returns the open window of the test running on this thread, if it watches
	 * {@code guard}'s jobs.
	 */
	static @Nullable Window current(MemoryGuard guard) {
		Window window = current.get();
		return (window != null && window.jobs == guard.jobs()) ? window : null;
	}

	static final class Window {

		private final JobAccounting jobs;

		private final Recorder recorder;

		private final Map<String, Counts> counts = new ConcurrentHashMap<>();

		private Window(JobAccounting jobs, Recorder recorder) {
			this.jobs = jobs;
			this.recorder = recorder;
		}

		/**
		 * Returns what a job did while the window was open, as {@link JobStats}: its
		 * {@code maxAllocated} is {@code -1} when any run could not be measured.
		 */
		JobStats stats(String job) {
			Counts counted = this.counts.get(job);
			return (counted != null) ? counted.toStats() : JobStats.NONE;
		}

		void close() {
			this.recorder.windows.remove(this);
			if (current.get() == this) {
				current.remove();
			}
		}

		private void record(String job, JobOutcome outcome, long allocated, Duration duration) {
			this.counts.computeIfAbsent(job, (name) -> new Counts()).record(outcome, allocated, duration);
		}

	}

	private static final class Recorder implements JobOutcomeListener {

		private final List<Window> windows = new CopyOnWriteArrayList<>();

		@Override
		public void recorded(String job, JobOutcome outcome, long allocatedBytes, Duration duration) {
			for (Window window : this.windows) {
				window.record(job, outcome, allocatedBytes, duration);
			}
		}

	}

	private static final class Counts {

		private long runs;

		private long skipped;

		private long deferred;

		private long failed;

		private long lastAllocated;

		private long maxAllocated;

		private boolean unmeasured;

		private Duration lastDuration = Duration.ZERO;

		synchronized void record(JobOutcome outcome, long allocated, Duration duration) {
			switch (outcome) {
				case RAN -> {
					this.runs++;
					this.lastAllocated = allocated;
					this.lastDuration = duration;
					if (allocated < 0) {
						this.unmeasured = true;
					}
					this.maxAllocated = Math.max(this.maxAllocated, allocated);
				}
				case SKIPPED -> this.skipped++;
				case DEFERRED -> this.deferred++;
				case FAILED -> this.failed++;
			}
		}

		synchronized JobStats toStats() {
			return new JobStats(this.runs, this.skipped, this.deferred, this.failed, this.lastAllocated,
					this.unmeasured ? -1 : this.maxAllocated, this.lastDuration);
		}

	}

}
