package dev.memoryguard.web.reactive;

import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import dev.memoryguard.MemoryPressureException;
import dev.memoryguard.web.HttpShedding;
import dev.memoryguard.web.MemoryPressureProblems;
import dev.memoryguard.web.ShedSource;

/**
 * Answers a {@link MemoryPressureException} that leaves a handler with {@code 503},
 * {@code Retry-After} and an {@code application/problem+json} body, written by the
 * application's codecs.
 * <p>
 * Ordered at {@value #ORDER}, just before Boot's error handler ({@code -1}): an
 * {@code @ExceptionHandler} of the application runs before any web exception handler, and
 * a {@link WebExceptionHandler} of its own wins when ordered at {@value #ORDER} or
 * before, as Boot's documentation orders custom error handlers.
 */
public class MemoryPressureWebExceptionHandler implements WebExceptionHandler, Ordered {

	/**
	 * The handler's order.
	 */
	public static final int ORDER = -2;

	private final MemoryPressureProblems problems;

	private final HttpShedding shedding;

	private final ServerResponse.Context context;

	/**
	 * Creates a new handler.
	 * @param problems makes the problem
	 * @param shedding where refusals are counted
	 * @param messageWriters the application's message writers
	 */
	public MemoryPressureWebExceptionHandler(MemoryPressureProblems problems, HttpShedding shedding,
			List<HttpMessageWriter<?>> messageWriters) {
		this.problems = problems;
		this.shedding = shedding;
		this.context = new ServerResponse.Context() {

			@Override
			public List<HttpMessageWriter<?>> messageWriters() {
				return messageWriters;
			}

			@Override
			public List<ViewResolver> viewResolvers() {
				return List.of();
			}

		};
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		MemoryPressureException refusal = find(ex);
		if (refusal == null || exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		this.shedding.refused(ShedSource.HANDLER);
		ProblemDetail problem = this.problems.refused(refusal.getSnapshot().pressure(),
				exchange.getRequest().getPath().value(), "The server is short of memory and refused this request.");
		return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, MemoryPressureProblems.retryAfterHeader(problem))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(problem)
			.flatMap((response) -> response.writeTo(exchange, this.context));
	}

	private static @Nullable MemoryPressureException find(Throwable ex) {
		Throwable candidate = ex;
		for (int depth = 0; candidate != null && depth < 10; depth++) {
			if (candidate instanceof MemoryPressureException refusal) {
				return refusal;
			}
			candidate = candidate.getCause();
		}
		return null;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
