package dev.memoryguard.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.memoryguard.leak.HeapDumper;

/**
 * Auto-configuration for heap dumps on leak suspicion and on entering CRITICAL, when
 * {@code memory-guard.heap-dump.enabled} is {@code true}. Without
 * {@code memory-guard.heap-dump.directory} dumps go to the working directory, where the
 * JVM's own {@code -XX:+HeapDumpOnOutOfMemoryError} puts them.
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("memory-guard.heap-dump.enabled")
public final class MemoryGuardHeapDumpAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(MemoryGuardHeapDumpAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	HeapDumper memoryGuardHeapDumper(MemoryGuardProperties properties) {
		MemoryGuardProperties.HeapDump heapDump = properties.getHeapDump();
		String directory = heapDump.getDirectory();
		HeapDumper dumper = new HeapDumper(Path.of((directory != null) ? directory : ""), heapDump.getMinInterval(),
				heapDump.getMaxFiles(), Clock.systemDefaultZone());
		logger.info("Heap dumps on leak suspicion or CRITICAL go to {}, at most one per {}, keeping the newest {}",
				dumper.getDirectory(), heapDump.getMinInterval(), heapDump.getMaxFiles());
		return dumper;
	}

}
