package dev.memoryguard.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletPath;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.ShallowEtagHeaderFilter;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

import dev.memoryguard.dashboard.MemoryGuardDashboard;

/**
 * Auto-configuration for the live {@link MemoryGuardDashboard dashboard page}, served in
 * servlet web applications when {@code memory-guard.dashboard.enabled} is set.
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("memory-guard.dashboard.enabled")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ RouterFunction.class, DispatcherServletPath.class })
@EnableConfigurationProperties(MemoryGuardProperties.class)
@ImportRuntimeHints(MemoryGuardDashboardRuntimeHints.class)
public final class MemoryGuardDashboardAutoConfiguration {

	private static final String ACTUATOR_BASE_PATH = "management.endpoints.web.base-path";

	@Bean
	@ConditionalOnMissingBean
	MemoryGuardDashboard memoryGuardDashboard(MemoryGuardProperties properties, Environment environment,
			ObjectProvider<DispatcherServletPath> servletPath) {
		String prefix = servletPath.getIfAvailable(() -> () -> "/").getPrefix();
		return new MemoryGuardDashboard(properties.getDashboard().getPath(),
				prefix + environment.getProperty(ACTUATOR_BASE_PATH, "/actuator"));
	}

	@Bean
	@ConditionalOnMissingBean(name = "memoryGuardDashboardRoutes")
	RouterFunction<ServerResponse> memoryGuardDashboardRoutes(MemoryGuardDashboard dashboard) {
		return dashboard.routes();
	}

	@Bean
	@ConditionalOnMissingBean(name = "memoryGuardDashboardEtagFilter")
	FilterRegistrationBean<ShallowEtagHeaderFilter> memoryGuardDashboardEtagFilter(MemoryGuardDashboard dashboard,
			ObjectProvider<DispatcherServletPath> servletPath) {
		FilterRegistrationBean<ShallowEtagHeaderFilter> registration = new FilterRegistrationBean<>(
				new ShallowEtagHeaderFilter());
		registration.setName("memoryGuardDashboardEtagFilter");
		registration.addUrlPatterns(servletPath.getIfAvailable(() -> () -> "/").getRelativePath(dashboard.path()) + "/*");
		return registration;
	}

}
