package dev.memoryguard.web.servlet;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import dev.memoryguard.MemoryPressureException;
import dev.memoryguard.web.HttpShedding;
import dev.memoryguard.web.MemoryPressureProblems;
import dev.memoryguard.web.ShedSource;

/**
 * Answers a {@link MemoryPressureException} that leaves a handler with {@code 503},
 * {@code Retry-After} and an {@code application/problem+json} body, written by the
 * application's own message converters.
 * <p>
 * Ordered last among the {@link ControllerAdvice @ControllerAdvice} beans, so an
 * {@link ExceptionHandler @ExceptionHandler} of the application for the exception (or a
 * supertype) wins: on the controller, or on an advice of its own.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class MemoryPressureExceptionHandler {

	private final MemoryPressureProblems problems;

	private final HttpShedding shedding;

	/**
	 * Creates a new handler.
	 * @param problems makes the problem
	 * @param shedding where refusals are counted
	 */
	public MemoryPressureExceptionHandler(MemoryPressureProblems problems, HttpShedding shedding) {
		this.problems = problems;
		this.shedding = shedding;
	}

	/**
	 * Answers the refusal.
	 * @param ex the refusal
	 * @param request the request
	 * @return the 503 response
	 */
	@ExceptionHandler(MemoryPressureException.class)
	public ResponseEntity<ProblemDetail> memoryPressure(MemoryPressureException ex, HttpServletRequest request) {
		this.shedding.refused(ShedSource.HANDLER);
		ProblemDetail problem = this.problems.refused(ex.getSnapshot().pressure(), request.getRequestURI(),
				"The server is short of memory and refused this request.");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, MemoryPressureProblems.retryAfterHeader(problem))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

}
