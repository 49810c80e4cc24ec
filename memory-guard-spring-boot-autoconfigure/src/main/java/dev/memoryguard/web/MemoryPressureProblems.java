package dev.memoryguard.web;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.memoryguard.MemoryPressure;

/**
 * Makes the RFC 9457 problem a refused request is answered with:
 * <pre class="code">
 * {"type": "urn:memory-guard:problem:memory-pressure", "title": "Memory is short",
 *  "status": 503, "detail": "...", "instance": "/the/path", "pressure": "CRITICAL",
 *  "retryAfter": 10}
 * </pre>
 * The body carries no heap figures, class names or stack traces. {@code retryAfter} is the
 * same number of seconds as the {@code Retry-After} header: the configured delay spread by
 * up to 20% either way, so that refused clients do not all come back in the same second.
 */
public class MemoryPressureProblems {

	/**
	 * The problem type.
	 */
	public static final URI TYPE = URI.create("urn:memory-guard:problem:memory-pressure");

	/**
	 * The problem title.
	 */
	public static final String TITLE = "Memory is short";

	/**
	 * Name of the problem property that holds the level.
	 */
	public static final String PRESSURE = "pressure";

	/**
	 * Name of the problem property that holds the seconds to wait.
	 */
	public static final String RETRY_AFTER = "retryAfter";

	private static final double SPREAD = 0.2;

	private final long retryAfterSeconds;

	/**
	 * Creates a new instance.
	 * @param retryAfter the delay clients are asked to wait, before the spread
	 */
	public MemoryPressureProblems(Duration retryAfter) {
		this.retryAfterSeconds = Math.max(1, Math.round(retryAfter.toMillis() / 1000.0));
	}

	/**
	 * Returns the problem for a request refused because memory is short.
	 * @param pressure the level when the request was refused
	 * @param path the request path, {@code null} when unknown
	 * @param reason why the request was refused, one sentence for the client
	 * @return the problem, with a freshly spread {@code retryAfter}
	 */
	public ProblemDetail refused(MemoryPressure pressure, @Nullable String path, String reason) {
		long retryAfter = retryAfterSeconds();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				reason + " Try again in " + retryAfter + " s.");
		problem.setType(TYPE);
		problem.setTitle(TITLE);
		URI instance = instance(path);
		if (instance != null) {
			problem.setInstance(instance);
		}
		problem.setProperty(PRESSURE, pressure.name());
		problem.setProperty(RETRY_AFTER, retryAfter);
		return problem;
	}

	/**
	 * Returns the {@code Retry-After} header value of a problem made here.
	 * @param problem the problem
	 * @return the seconds to wait, as text
	 */
	public static String retryAfterHeader(ProblemDetail problem) {
		Object seconds = (problem.getProperties() != null) ? problem.getProperties().get(RETRY_AFTER) : null;
		return String.valueOf(seconds);
	}

	/**
	 * Returns the configured delay spread by up to 20% either way, in whole seconds.
	 * @return the seconds to wait, at least 1
	 */
	public long retryAfterSeconds() {
		double factor = 1 + SPREAD * (2 * ThreadLocalRandom.current().nextDouble() - 1);
		return Math.max(1, Math.round(this.retryAfterSeconds * factor));
	}

	private static @Nullable URI instance(@Nullable String path) {
		if (path == null || path.isEmpty()) {
			return null;
		}
		try {
			return URI.create(path);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
