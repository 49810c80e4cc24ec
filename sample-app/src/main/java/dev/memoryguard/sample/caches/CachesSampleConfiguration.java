package dev.memoryguard.sample.caches;

import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

/**
 * Turns on Spring's caching for the catalog lookups: the caches themselves are declared,
 * with their bounds, under {@code memory-guard.caches} in {@code application.yml}.
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching
class CachesSampleConfiguration {

}
