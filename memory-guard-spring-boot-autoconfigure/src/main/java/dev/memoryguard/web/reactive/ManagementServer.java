package dev.memoryguard.web.reactive;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells requests to a separate management server ({@code management.server.port}) apart:
 * the reactive management server runs the application's web filters too.
 */
final class ManagementServer {

	private static final String NAMESPACE = "management";

	private ManagementServer() {
	}

	static boolean serves(ServerWebExchange exchange) {
		ApplicationContext context = exchange.getApplicationContext();
		return context != null && WebServerApplicationContext.hasServerNamespace(context, NAMESPACE);
	}

}
