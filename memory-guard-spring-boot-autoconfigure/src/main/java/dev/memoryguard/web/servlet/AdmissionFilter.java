package dev.memoryguard.web.servlet;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import dev.memoryguard.web.Admission;
import dev.memoryguard.web.MemoryPressureProblems;
import dev.memoryguard.web.ProblemJson;

/**
 * Servlet {@link Filter} that refuses new requests with 503 before they are read, while
 * memory is short or when a declared body does not fit what is left (see
 * {@link Admission}). Registered for request dispatches only, early: before Spring
 * Security and before any filter that reads the body. The management endpoints are never
 * refused.
 * <p>
 * What a body reserved is given back when the request completes: at the end of the
 * filter chain, or, for an asynchronous request, when its {@code AsyncContext} completes
 * (on error and timeout too).
 */
public class AdmissionFilter implements Filter, Ordered {

	/**
	 * The filter's order: after Boot's observation filter, so refusals are observed,
	 * before everything else.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final Admission admission;

	/**
	 * Creates a new filter.
	 * @param admission decides whether a request comes in
	 */
	public AdmissionFilter(Admission admission) {
		this.admission = admission;
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = (HttpServletRequest) servletRequest;
		long reserved = this.admission.admit(request.getContentLengthLong());
		if (reserved < 0) {
			String path = request.getRequestURI().substring(request.getContextPath().length());
			if (this.admission.guards(path)) {
				refuse((HttpServletResponse) servletResponse, this.admission.refuse(reserved, request.getRequestURI()));
				return;
			}
			reserved = 0;
		}
		if (reserved == 0) {
			chain.doFilter(servletRequest, servletResponse);
			return;
		}
		boolean async = false;
		try {
			chain.doFilter(servletRequest, servletResponse);
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new Release(this.admission, reserved));
				async = true;
			}
		}
		finally {
			if (!async) {
				this.admission.release(reserved);
			}
		}
	}

	private static void refuse(HttpServletResponse response, ProblemDetail problem) throws IOException {
		byte[] body = ProblemJson.bytes(problem);
		response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, MemoryPressureProblems.retryAfterHeader(problem));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
		response.flushBuffer();
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * Gives a reservation back once, when an asynchronous request completes. Tomcat may
	 * report one completion twice (after a timeout, for one).
	 */
	private static final class Release implements AsyncListener {

		private final Admission admission;

		private final long reserved;

		private final AtomicBoolean released = new AtomicBoolean();

		Release(Admission admission, long reserved) {
			this.admission = admission;
			this.reserved = reserved;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			if (this.released.compareAndSet(false, true)) {
				this.admission.release(this.reserved);
			}
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			// a new asynchronous cycle keeps this listener only if added again
			event.getAsyncContext().addListener(this);
		}

	}

}
