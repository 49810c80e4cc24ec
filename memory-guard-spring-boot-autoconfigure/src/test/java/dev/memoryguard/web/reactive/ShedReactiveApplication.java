package dev.memoryguard.web.reactive;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressureException;
import dev.memoryguard.web.Calls;
import dev.memoryguard.web.Exports;

/**
 * A WebFlux application for the reactive shedding tests: {@code /api/**} handlers that
 * count their calls, {@code /open/**} ones (excluded from admission in the tests) that
 * call a {@code @MemorySafe(onPressure = FAIL)} method, one that answers the refusal
 * with an {@code @ExceptionHandler} of its own and one whose refusal a web exception
 * handler of the application answers.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@Import({ ShedReactiveApplication.Api.class, ShedReactiveApplication.Open.class,
		ShedReactiveApplication.OwnHandler.class })
class ShedReactiveApplication {

	@Bean
	ManualMemoryProbe memoryProbe() {
		return new ManualMemoryProbe();
	}

	@Bean
	Calls calls() {
		return new Calls();
	}

	@Bean
	Exports exports() {
		return new Exports();
	}

	@Bean
	@Order(MemoryPressureWebExceptionHandler.ORDER)
	WebExceptionHandler ownWebExceptionHandler() {
		return (exchange, ex) -> {
			if (!(ex instanceof MemoryPressureException)
					|| !exchange.getRequest().getPath().value().startsWith("/open/handled/")) {
				return Mono.error(ex);
			}
			exchange.getResponse().setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
			return exchange.getResponse()
				.writeWith(Mono.just(exchange.getResponse()
					.bufferFactory()
					.wrap("own web exception handler".getBytes(StandardCharsets.UTF_8))));
		};
	}

	@RestController
	static class Api {

		private final Calls calls;

		Api(Calls calls) {
			this.calls = calls;
		}

		@GetMapping("/api/items")
		Mono<String> items() {
			this.calls.hit("items");
			return Mono.just("items");
		}

		@PostMapping("/api/upload")
		Mono<String> upload(@RequestBody Mono<byte[]> body) {
			this.calls.hit("upload");
			return body.map((bytes) -> Integer.toString(bytes.length));
		}

		@PostMapping("/api/hold")
		Mono<String> hold(@RequestBody Mono<byte[]> body) {
			this.calls.hit("hold");
			return body.publishOn(Schedulers.boundedElastic()).map((bytes) -> {
				this.calls.await();
				return Integer.toString(bytes.length);
			});
		}

		@PostMapping("/api/fail")
		Mono<String> fail(@RequestBody Mono<byte[]> body) {
			return body.flatMap((bytes) -> Mono.error(new IllegalStateException("failed after reading " + bytes.length)));
		}

	}

	@RestController
	static class Open {

		private final Calls calls;

		private final Exports exports;

		Open(Calls calls, Exports exports) {
			this.calls = calls;
			this.exports = exports;
		}

		@GetMapping("/open/ping")
		Mono<String> ping() {
			this.calls.hit("ping");
			return Mono.just("pong");
		}

		@GetMapping({ "/open/export", "/open/handled/export" })
		Mono<String> export() {
			return Mono.fromCallable(this.exports::export);
		}

		@GetMapping("/open/export-now")
		String exportNow(ServerWebExchange exchange) {
			return this.exports.export();
		}

	}

	@RestController
	static class OwnHandler {

		private final Exports exports;

		OwnHandler(Exports exports) {
			this.exports = exports;
		}

		@GetMapping("/open/own/export")
		Mono<String> export() {
			return Mono.fromCallable(this.exports::export);
		}

		@ExceptionHandler(MemoryPressureException.class)
		ResponseEntity<String> memoryShort(MemoryPressureException ex) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body("own handler");
		}

	}

}
