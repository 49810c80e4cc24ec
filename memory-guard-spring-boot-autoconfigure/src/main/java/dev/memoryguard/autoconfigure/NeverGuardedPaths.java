package dev.memoryguard.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The paths the admission filter never refuses: the management endpoints on the main
 * server (their base path, or each endpoint where the base path is the root, and the
 * additional paths of health groups such as {@code /livez}), and the dashboard page.
 */
final class NeverGuardedPaths {

	private static final String PATH_MAPPED_ENDPOINTS = "org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints";

	private NeverGuardedPaths() {
	}

	/**
	 * Returns the Ant-style patterns, within the application.
	 * @param beans where the actuator's endpoints are found
	 * @param environment where the base path is read when they are not
	 * @param prefix the dispatcher servlet's prefix ({@code ""} for reactive applications)
	 * @param properties the dashboard's settings
	 * @return the patterns
	 */
	static List<String> of(ListableBeanFactory beans, Environment environment, String prefix,
			MemoryGuardProperties properties) {
		List<String> patterns = new ArrayList<>();
		if (ClassUtils.isPresent(PATH_MAPPED_ENDPOINTS, NeverGuardedPaths.class.getClassLoader())) {
			Actuator.addPaths(patterns, beans, environment, prefix);
		}
		if (properties.getDashboard().isEnabled()) {
			addTree(patterns, prefix + properties.getDashboard().getPath());
		}
		return patterns;
	}

	private static void addTree(List<String> patterns, String path) {
		String root = (path.length() > 1 && path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
		patterns.add(root);
		patterns.add(root + "/**");
	}

	/**
	 * Kept apart so that nothing of the actuator is loaded when it is absent.
	 */
	private static final class Actuator {

		static void addPaths(List<String> patterns, ListableBeanFactory beans, Environment environment,
				String prefix) {
			PathMappedEndpoints endpoints = beans.getBeanProvider(PathMappedEndpoints.class).getIfAvailable();
			String basePath = (endpoints != null) ? endpoints.getBasePath()
					: environment.getProperty("management.endpoints.web.base-path", "/actuator");
			if (StringUtils.hasText(basePath) && !"/".equals(basePath)) {
				addTree(patterns, prefix + basePath);
			}
			else if (endpoints != null) {
				endpoints.getAllPaths().forEach((path) -> addTree(patterns, prefix + path));
			}
			if (endpoints != null) {
				for (PathMappedEndpoint endpoint : endpoints) {
					endpoint.getAdditionalPaths(WebServerNamespace.SERVER)
						.forEach((path) -> addTree(patterns, prefix + (path.startsWith("/") ? path : "/" + path)));
				}
			}
		}

	}

}
