package dev.memoryguard.web.servlet;

import java.util.concurrent.Callable;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.DeferredResult;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressureException;
import dev.memoryguard.web.Calls;
import dev.memoryguard.web.Exports;

/**
 * A Spring MVC application for the servlet shedding tests: {@code /api/**} handlers that
 * count their calls, {@code /open/**} ones (excluded from admission in the tests) that
 * call a {@code @MemorySafe(onPressure = FAIL)} method, and two that answer the refusal
 * with a handler of their own.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@Import({ ShedServletApplication.Api.class, ShedServletApplication.Open.class, ShedServletApplication.OwnHandler.class,
		ShedServletApplication.Advised.class, ShedServletApplication.OwnAdvice.class })
class ShedServletApplication {

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

	@RestController
	static class Api {

		private final Calls calls;

		Api(Calls calls) {
			this.calls = calls;
		}

		@GetMapping("/api/items")
		String items() {
			this.calls.hit("items");
			return "items";
		}

		@PostMapping("/api/upload")
		String upload(@RequestBody byte[] body) {
			this.calls.hit("upload");
			return Integer.toString(body.length);
		}

		@PostMapping("/api/hold")
		String hold(@RequestBody byte[] body) {
			this.calls.hit("hold");
			this.calls.await();
			return Integer.toString(body.length);
		}

		@PostMapping("/api/fail")
		String fail(@RequestBody byte[] body) {
			throw new IllegalStateException("failed after reading " + body.length + " bytes");
		}

		@PostMapping("/api/async")
		Callable<String> async(@RequestBody byte[] body) {
			return () -> Integer.toString(body.length);
		}

		@PostMapping("/api/async-fail")
		Callable<String> asyncFail(@RequestBody byte[] body) {
			return () -> {
				throw new IllegalStateException("failed after reading " + body.length + " bytes");
			};
		}

		@PostMapping("/api/async-timeout")
		DeferredResult<String> asyncTimeout(@RequestBody byte[] body) {
			return new DeferredResult<>(100L);
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
		String ping() {
			this.calls.hit("ping");
			return "pong";
		}

		@GetMapping("/open/export")
		String export() {
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
		String export() {
			return this.exports.export();
		}

		@ExceptionHandler(MemoryPressureException.class)
		ResponseEntity<String> memoryShort(MemoryPressureException ex) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body("own handler");
		}

	}

	@RestController
	static class Advised {

		private final Exports exports;

		Advised(Exports exports) {
			this.exports = exports;
		}

		@GetMapping("/open/advised/export")
		String export() {
			return this.exports.export();
		}

	}

	@RestControllerAdvice(assignableTypes = Advised.class)
	static class OwnAdvice {

		@ExceptionHandler(MemoryPressureException.class)
		ResponseEntity<String> memoryShort(MemoryPressureException ex) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body("own advice");
		}

	}

}
