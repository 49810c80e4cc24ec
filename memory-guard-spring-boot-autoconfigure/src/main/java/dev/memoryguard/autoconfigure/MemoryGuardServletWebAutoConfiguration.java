package dev.memoryguard.autoconfigure;

import jakarta.servlet.DispatcherType;
import org.apache.catalina.startup.Tomcat;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletPath;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.web.Admission;
import dev.memoryguard.web.GuardedPaths;
import dev.memoryguard.web.HttpShedding;
import dev.memoryguard.web.MemoryPressureProblems;
import dev.memoryguard.web.servlet.AdmissionFilter;
import dev.memoryguard.web.servlet.MemoryPressureExceptionHandler;

/**
 * Auto-configuration for shedding load in servlet web applications (Spring MVC): a
 * {@link MemoryPressureExceptionHandler} always, the {@link AdmissionFilter} when
 * {@code memory-guard.web.shed.enabled} is set (with Tomcat then sending
 * {@code 100 Continue} only when the body is read).
 */
@AutoConfiguration(after = MemoryGuardWebAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, FilterRegistrationBean.class })
@ConditionalOnBean(HttpShedding.class)
public final class MemoryGuardServletWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MemoryPressureExceptionHandler memoryPressureExceptionHandler(MemoryPressureProblems problems,
			HttpShedding shedding) {
		return new MemoryPressureExceptionHandler(problems, shedding);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("memory-guard.web.shed.enabled")
	Admission memoryGuardAdmission(MemoryGuard guard, MemoryGuardProperties properties,
			MemoryPressureProblems problems, HttpShedding shedding, ListableBeanFactory beans,
			Environment environment, ObjectProvider<DispatcherServletPath> servletPath) {
		MemoryGuardProperties.Web.Shed shed = properties.getWeb().getShed();
		GuardedPaths paths = new GuardedPaths(shed.getInclude(), shed.getExclude(), () -> NeverGuardedPaths.of(beans,
				environment, servletPath.getIfAvailable(() -> () -> "/").getPrefix(), properties));
		return new Admission(guard, shed.getThreshold(), shed.getBodyFactor(), paths, problems, shedding);
	}

	@Bean
	@ConditionalOnMissingBean(name = "memoryGuardAdmissionFilter")
	@ConditionalOnBean(Admission.class)
	FilterRegistrationBean<AdmissionFilter> memoryGuardAdmissionFilter(Admission admission) {
		FilterRegistrationBean<AdmissionFilter> registration = new FilterRegistrationBean<>(
				new AdmissionFilter(admission));
		registration.setName("memoryGuardAdmissionFilter");
		registration.setOrder(AdmissionFilter.ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		registration.setAsyncSupported(true);
		return registration;
	}

	/**
	 * Lets Tomcat answer {@code Expect: 100-continue} only once the application reads the
	 * body, so that a client of a refused upload never sends it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, TomcatConnectorCustomizer.class })
	static class TomcatExpectContinueConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "memoryGuardTomcatExpectContinue")
		@ConditionalOnBooleanProperty("memory-guard.web.shed.enabled")
		TomcatConnectorCustomizer memoryGuardTomcatExpectContinue() {
			return (connector) -> connector.setProperty("continueResponseTiming", "onRead");
		}

	}

}
