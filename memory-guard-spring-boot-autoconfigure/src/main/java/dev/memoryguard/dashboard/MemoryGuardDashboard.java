package dev.memoryguard.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The live dashboard page: a static HTML page, its script and style, and the uPlot
 * charting library from its WebJar, all served under one path. The page carries no data:
 * it reads the memory endpoint, whose location it learns from {@code config.json}.
 * <p>
 * The assets live under {@code dev/memoryguard/dashboard/static/} rather than
 * {@code META-INF/resources}, so that they are served only when the dashboard is
 * enabled, and always with {@code Cache-Control: no-cache} so that browsers revalidate
 * them (an ETag filter on the path answers {@code 304 Not Modified}).
 */
public final class MemoryGuardDashboard {

	private static final Logger logger = LoggerFactory.getLogger(MemoryGuardDashboard.class);

	private static final String ASSETS = "dev/memoryguard/dashboard/static/";

	private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

	/**
	 * Seconds between two refreshes of the page.
	 */
	static final int REFRESH_SECONDS = 2;

	private final String path;

	private final String actuatorBasePath;

	/**
	 * Creates a dashboard.
	 * @param path the path the page is served at, for example {@code /memory-guard}
	 * @param actuatorBasePath the base path of the actuator endpoints, for example
	 * {@code /actuator}
	 */
	public MemoryGuardDashboard(String path, String actuatorBasePath) {
		this.path = normalize(path);
		this.actuatorBasePath = normalize(actuatorBasePath);
	}

	/**
	 * Returns the path the page is served at, with a leading and no trailing slash.
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Returns the routes that serve the page and its assets.
	 * @return the router function
	 */
	public RouterFunction<ServerResponse> routes() {
		RouterFunctions.Builder routes = RouterFunctions.route();
		if (!this.path.isEmpty()) {
			routes.GET(this.path, (request) -> ServerResponse.status(HttpStatus.FOUND)
				.location(URI.create(request.servletRequest().getRequestURI() + "/"))
				.build());
		}
		routes.GET(this.path + "/config.json", this::config);
		routes.add(RouterFunctions.resource(RequestPredicates.GET(this.path + "/"),
				new ClassPathResource(ASSETS + "index.html"), MemoryGuardDashboard::noCache));
		Resource uplot = uplotResources();
		if (uplot != null) {
			routes.add(RouterFunctions.resources(this.path + "/uplot/**", uplot, MemoryGuardDashboard::noCache));
		}
		else {
			logger.warn("The memory-guard dashboard draws no charts: add org.webjars.npm:uplot to the classpath");
		}
		routes.add(RouterFunctions.resources(this.path + "/**", new ClassPathResource(ASSETS),
				MemoryGuardDashboard::noCache));
		return routes.build();
	}

	private ServerResponse config(ServerRequest request) {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("endpoint", request.servletRequest().getContextPath() + this.actuatorBasePath + "/memory");
		config.put("refreshSeconds", REFRESH_SECONDS);
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noCache())
			.body(config);
	}

	private static void noCache(Resource resource, HttpHeaders headers) {
		headers.setCacheControl(CacheControl.noCache());
	}

	private static @Nullable Resource uplotResources() {
		ClassPathResource pom = new ClassPathResource(UPLOT_POM);
		if (!pom.exists()) {
			return null;
		}
		Properties properties = new Properties();
		try (InputStream in = pom.getInputStream()) {
			properties.load(in);
		}
		catch (IOException ex) {
			return null;
		}
		String dist = "META-INF/resources/webjars/uplot/" + properties.getProperty("version") + "/dist/";
		return new ClassPathResource(dist + "uPlot.iife.min.js").exists() ? new ClassPathResource(dist) : null;
	}

	private static String normalize(String path) {
		String trimmed = StringUtils.trimTrailingCharacter(path.trim(), '/');
		return (trimmed.isEmpty() || trimmed.startsWith("/")) ? trimmed : "/" + trimmed;
	}

}
