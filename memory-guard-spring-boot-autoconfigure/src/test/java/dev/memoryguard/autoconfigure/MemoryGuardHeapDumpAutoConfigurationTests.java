package dev.memoryguard.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.memoryguard.leak.HeapDumper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardHeapDumpAutoConfiguration}.
 */
class MemoryGuardHeapDumpAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemoryGuardHeapDumpAutoConfiguration.class));

	@TempDir
	Path temp;

	@Test
	void runShouldNotCreateHeapDumperByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(HeapDumper.class));
	}

	@Test
	void runWhenEnabledShouldCreateHeapDumperForTheDirectory() {
		Path directory = this.temp.resolve("dumps");
		this.contextRunner
			.withPropertyValues("memory-guard.heap-dump.enabled=true", "memory-guard.heap-dump.directory=" + directory)
			.run((context) -> assertThat(context.getBean(HeapDumper.class).getDirectory()).isEqualTo(directory));
	}

	@Test
	void runWhenEnabledWithoutDirectoryShouldUseTheWorkingDirectory() {
		this.contextRunner.withPropertyValues("memory-guard.heap-dump.enabled=true")
			.run((context) -> assertThat(context.getBean(HeapDumper.class).getDirectory())
				.isEqualTo(Path.of(System.getProperty("user.dir")).toAbsolutePath()));
	}

	@Test
	void zeroMaxFilesFailsStartup() {
		this.contextRunner
			.withPropertyValues("memory-guard.heap-dump.enabled=true", "memory-guard.heap-dump.max-files=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("memory-guard.heap-dump.max-files"));
	}

}
