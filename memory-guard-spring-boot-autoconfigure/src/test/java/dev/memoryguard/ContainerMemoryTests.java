package dev.memoryguard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ContainerMemory} against cgroup v1 and v2 file fixtures.
 */
class ContainerMemoryTests {

	@TempDir
	Path root;

	@Test
	void cgroupV2LimitIsRead() throws IOException {
		Files.writeString(this.root.resolve("memory.max"), "536870912\n");
		assertThat(container().limit()).isEqualTo(536870912L);
	}

	@Test
	void cgroupV2MaxMeansNoLimit() throws IOException {
		Files.writeString(this.root.resolve("memory.max"), "max\n");
		assertThat(container().limit()).isEqualTo(-1);
	}

	@Test
	void cgroupV1LimitIsRead() throws IOException {
		Files.createDirectories(this.root.resolve("memory"));
		Files.writeString(this.root.resolve("memory/memory.limit_in_bytes"), "1073741824\n");
		assertThat(container().limit()).isEqualTo(1073741824L);
	}

	@Test
	void cgroupV1HugeNumberMeansNoLimit() throws IOException {
		Files.createDirectories(this.root.resolve("memory"));
		Files.writeString(this.root.resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n");
		assertThat(container().limit()).isEqualTo(-1);
	}

	@Test
	void noCgroupFilesMeansNoLimit() {
		assertThat(container().limit()).isEqualTo(-1);
	}

	@Test
	void garbageInTheLimitFileMeansNoLimit() throws IOException {
		Files.writeString(this.root.resolve("memory.max"), "lots\n");
		assertThat(container().limit()).isEqualTo(-1);
	}

	@Test
	void rssIsReadFromProcStatusInKilobytes() throws IOException {
		Files.writeString(this.root.resolve("status"), "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  204800 kB\nThreads:\t12\n");
		assertThat(container().rss()).isEqualTo(204800L * 1024);
	}

	@Test
	void rssOfThisProcessIsKnownOnLinux() {
		assertThat(ContainerMemory.system().rss()).isPositive();
	}

	private ContainerMemory container() {
		return new ContainerMemory(this.root, this.root);
	}

}
