package dev.memoryguard.web.reactive;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.memoryguard.web.Admission;
import dev.memoryguard.web.MemoryPressureProblems;
import dev.memoryguard.web.ProblemJson;

/**
 * {@link WebFilter} that refuses new requests with 503 before their body is read, while
 * memory is short or when a declared body does not fit what is left (see
 * {@link Admission}). Ordered early: before Spring Security and before anything that
 * reads the body. What a body reserved is given back when the exchange completes, fails
 * or is cancelled. The management endpoints are never refused, on the application's port
 * and on a separate management port alike (whose server runs the application's web
 * filters too).
 */
public class AdmissionWebFilter implements WebFilter, Ordered {

	/**
	 * The filter's order: before everything else.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final Admission admission;

	/**
	 * Creates a new filter.
	 * @param admission decides whether a request comes in
	 */
	public AdmissionWebFilter(Admission admission) {
		this.admission = admission;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		long reserved = this.admission.admit(request.getHeaders().getContentLength());
		if (reserved < 0) {
			if (this.admission.guards(request.getPath().pathWithinApplication().value())) {
				return refuse(exchange, this.admission.refuse(reserved, request.getPath().value()));
			}
			reserved = 0;
		}
		if (reserved == 0) {
			return chain.filter(exchange);
		}
		long bytes = reserved;
		return chain.filter(exchange).doFinally((signal) -> this.admission.release(bytes));
	}

	private static Mono<Void> refuse(ServerWebExchange exchange, ProblemDetail problem) {
		ServerHttpResponse response = exchange.getResponse();
		byte[] body = ProblemJson.bytes(problem);
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		HttpHeaders headers = response.getHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, MemoryPressureProblems.retryAfterHeader(problem));
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		headers.setContentLength(body.length);
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
