package dev.memoryguard.web;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.http.ProblemDetail;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;

/**
 * Decides whether a new request may come in, for the servlet and reactive admission
 * filters. A request is refused while the level is at or above the threshold, or when
 * its declared body does not fit: a request with a {@code Content-Length} reserves that
 * many bytes times the body factor against the headroom left under the critical
 * threshold, less what the requests in flight have reserved, and gives it back when it
 * completes. Requests without a declared length (chunked) pass on the level alone.
 * <p>
 * {@link #admit(long)} reads the guard's level, and for a request with a body updates one
 * counter: it allocates nothing. Paths are only matched for a request about to be
 * refused.
 */
public class Admission {

	/**
	 * Returned by {@link #admit(long)} when the level refuses the request.
	 */
	public static final long REFUSED_PRESSURE = -1;

	/**
	 * Returned by {@link #admit(long)} when the declared body does not fit.
	 */
	public static final long REFUSED_BODY = -2;

	private final MemoryGuard guard;

	private final int threshold;

	private final double bodyFactor;

	private final GuardedPaths paths;

	private final MemoryPressureProblems problems;

	private final HttpShedding shedding;

	private final AtomicLong reserved = new AtomicLong();

	/**
	 * Creates a new instance.
	 * @param guard the guard whose level and headroom decide
	 * @param threshold the level at or above which new requests are refused
	 * @param bodyFactor how many times its declared length a request body reserves,
	 * {@code 0} to account no bodies
	 * @param paths the paths that may be refused
	 * @param problems makes the refusal's problem
	 * @param shedding where refusals are counted
	 */
	public Admission(MemoryGuard guard, MemoryPressure threshold, double bodyFactor, GuardedPaths paths,
			MemoryPressureProblems problems, HttpShedding shedding) {
		this.guard = guard;
		this.threshold = threshold.ordinal();
		this.bodyFactor = bodyFactor;
		this.paths = paths;
		this.problems = problems;
		this.shedding = shedding;
	}

	/**
	 * Admits a request or says why not.
	 * @param contentLength the declared body length, negative when none is declared
	 * @return the bytes reserved for the body ({@code 0} when none), to be handed to
	 * {@link #release(long)} when the request completes; or {@link #REFUSED_PRESSURE} or
	 * {@link #REFUSED_BODY}, in which case nothing is reserved
	 */
	public long admit(long contentLength) {
		if (this.guard.pressure().ordinal() >= this.threshold) {
			return REFUSED_PRESSURE;
		}
		if (contentLength <= 0 || this.bodyFactor <= 0) {
			return 0;
		}
		long need = (long) Math.min(contentLength * this.bodyFactor, Long.MAX_VALUE / 4);
		long headroom = this.guard.snapshot().headroom();
		while (true) {
			long current = this.reserved.get();
			long next = current + need;
			if (next > headroom) {
				return REFUSED_BODY;
			}
			if (this.reserved.compareAndSet(current, next)) {
				return need;
			}
		}
	}

	/**
	 * Gives back what {@link #admit(long)} reserved.
	 * @param bytes the bytes reserved; nothing happens for {@code 0} or less
	 */
	public void release(long bytes) {
		if (bytes > 0) {
			this.reserved.addAndGet(-bytes);
		}
	}

	/**
	 * Returns the bytes the requests in flight have reserved.
	 * @return the reserved bytes
	 */
	public long reserved() {
		return this.reserved.get();
	}

	/**
	 * Returns whether a request to {@code path} may be refused.
	 * @param path the path within the application
	 * @return {@code true} when the path is guarded
	 */
	public boolean guards(String path) {
		return this.paths.isGuarded(path);
	}

	/**
	 * Counts a refusal and returns its problem.
	 * @param decision what {@link #admit(long)} returned
	 * @param path the request path, for the problem's {@code instance}
	 * @return the problem to answer with
	 */
	public ProblemDetail refuse(long decision, @Nullable String path) {
		this.shedding.refused(ShedSource.ADMISSION);
		String reason = (decision == REFUSED_BODY)
				? "The request body is larger than the memory the server can set aside for it now."
				: "The server is short of memory and takes no new requests for now.";
		return this.problems.refused(this.guard.pressure(), path, reason);
	}

}
