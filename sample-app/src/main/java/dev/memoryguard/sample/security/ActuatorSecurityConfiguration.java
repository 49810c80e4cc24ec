package dev.memoryguard.sample.security;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Puts the actuator's write operations behind HTTP basic authentication: anyone may read
 * {@code health}, {@code memory} and {@code prometheus}, but running relief
 * ({@code POST /actuator/memory/relieve}) and emptying a cache
 * ({@code DELETE /actuator/memory/caches/{name}}) need the {@code OPERATOR} role.
 * <p>
 * The user is Boot's {@code spring.security.user}: the password is generated and logged
 * at startup unless {@code spring.security.user.password} is set. Only actuator requests
 * go through this filter chain; the rest of the application is left alone.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorSecurityConfiguration {

	@Bean
	SecurityFilterChain actuatorSecurityFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.GET)
				.permitAll()
				.anyRequest()
				.hasRole("OPERATOR"))
			.httpBasic(Customizer.withDefaults())
			// scripts and operators call these with basic auth and no session: there is
			// no session cookie for a cross-site request to ride on
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

}
