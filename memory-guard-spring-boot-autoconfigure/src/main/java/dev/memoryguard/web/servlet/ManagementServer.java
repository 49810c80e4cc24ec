package dev.memoryguard.web.servlet;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

/**
 * Tells requests to a separate management server ({@code management.server.port}) apart,
 * should the filter ever be registered there.
 */
final class ManagementServer {

	private static final String NAMESPACE = "management";

	private ManagementServer() {
	}

	static boolean serves(HttpServletRequest request) {
		ApplicationContext context = WebApplicationContextUtils.getWebApplicationContext(request.getServletContext());
		return context != null && WebServerApplicationContext.hasServerNamespace(context, NAMESPACE);
	}

}
