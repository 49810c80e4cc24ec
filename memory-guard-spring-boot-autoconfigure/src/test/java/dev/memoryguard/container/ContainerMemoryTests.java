package dev.memoryguard.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ContainerMemory} on fixture trees of {@code /proc/self} and the cgroup
 * file systems: v1 nested and bind-mounted, v2, hybrid.
 */
class ContainerMemoryTests {

	private static final long MB = 1024 * 1024;

	private static final String UNLIMITED_V1 = "9223372036854771712";

	@TempDir
	Path root;

	@Test
	void cgroupV1NestedFindsTheProcessCgroupBelowTheWholeHierarchy() throws IOException {
		procSelf("4:memory:/system.slice/app.service\n0::/\n",
				"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n");
		Path unit = v1("sys/fs/cgroup/memory/system.slice/app.service", 320 * MB, 200 * MB, 30 * MB, 2);
		v1Limit("sys/fs/cgroup/memory/system.slice", UNLIMITED_V1);
		v1Limit("sys/fs/cgroup/memory", UNLIMITED_V1);
		ContainerUsage usage = memory().read();
		assertThat(usage.version()).isEqualTo(1);
		assertThat(usage.path()).isEqualTo("/system.slice/app.service");
		assertThat(usage.limit()).isEqualTo(320 * MB);
		assertThat(usage.usage()).isEqualTo(200 * MB);
		assertThat(usage.workingSet()).isEqualTo(170 * MB);
		assertThat(usage.oomKills()).isEqualTo(2);
		assertThat(Files.exists(unit)).isTrue();
	}

	@Test
	void cgroupV1LimitSetOnlyOnAParentBindsTheChildAndIsReadWhereItIsSet() throws IOException {
		procSelf("4:memory:/process_api/job/child\n",
				"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n");
		v1("sys/fs/cgroup/memory/process_api/job/child", Long.parseLong(UNLIMITED_V1), 50 * MB, 0, 0);
		v1("sys/fs/cgroup/memory/process_api/job", 256 * MB, 180 * MB, 10 * MB, 1);
		v1Limit("sys/fs/cgroup/memory/process_api", "1073741824");
		v1Limit("sys/fs/cgroup/memory", UNLIMITED_V1);
		ContainerUsage usage = memory().read();
		assertThat(usage.limit()).isEqualTo(256 * MB);
		assertThat(usage.path()).isEqualTo("/process_api/job");
		assertThat(usage.usage()).isEqualTo(180 * MB);
		assertThat(usage.oomKills()).isEqualTo(1);
	}

	@Test
	void cgroupV1BindMountedAsDockerDoesResolvesToTheMountPoint() throws IOException {
		procSelf("4:memory:/docker/abc123\n",
				"35 31 0:32 /docker/abc123 /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n");
		v1("sys/fs/cgroup/memory", 512 * MB, 100 * MB, 0, 0);
		ContainerUsage usage = memory().read();
		assertThat(usage.limit()).isEqualTo(512 * MB);
		assertThat(usage.path()).isEqualTo("/docker/abc123");
		assertThat(usage.workingSet()).isEqualTo(100 * MB);
	}

	@Test
	void cgroupV1BindOverTheOriginalMountPicksTheContainersOwnRoot() throws IOException {
		procSelf("4:memory:/process_api/x\n",
				"35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
						+ "90 35 0:32 /process_api/x /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
		v1("sys/fs/cgroup/memory", 128 * MB, 64 * MB, 0, 0);
		assertThat(memory().read().limit()).isEqualTo(128 * MB);
	}

	@Test
	void cgroupV1HierarchicalLimitOfAnInvisibleParentCounts() throws IOException {
		procSelf("4:memory:/kubepods/pod1/c1\n",
				"35 31 0:32 /kubepods/pod1/c1 /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n");
		Path dir = v1("sys/fs/cgroup/memory", Long.parseLong(UNLIMITED_V1), 64 * MB, 0, 0);
		Files.writeString(dir.resolve("memory.stat"), "cache 0\nrss 1\nhierarchical_memory_limit 268435456\n"
				+ "total_inactive_file 0\n");
		assertThat(memory().read().limit()).isEqualTo(256 * MB);
	}

	@Test
	void noLimitAnywhereMeansNoLimit() throws IOException {
		procSelf("4:memory:/user.slice\n", "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
		v1Limit("sys/fs/cgroup/memory/user.slice", UNLIMITED_V1);
		v1Limit("sys/fs/cgroup/memory", UNLIMITED_V1);
		ContainerUsage usage = memory().read();
		assertThat(usage.isLimited()).isFalse();
		assertThat(usage.version()).isEqualTo(1);
		assertThat(usage.path()).isEqualTo("/user.slice");
	}

	@Test
	void cgroupV2ReadsMaxHighEventsAndPressure() throws IOException {
		procSelf("0::/kubepods.slice/pod1/app\n",
				"25 20 0:23 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
		Path app = v2("sys/fs/cgroup/kubepods.slice/pod1/app", "max", "max");
		Path pod = v2("sys/fs/cgroup/kubepods.slice/pod1", "1073741824", "805306368");
		Files.writeString(pod.resolve("memory.current"), Long.toString(700 * MB) + "\n");
		Files.writeString(pod.resolve("memory.stat"), "anon 600000000\nfile 90000000\ninactive_file "
				+ (40 * MB) + "\nshmem 0\n");
		Files.writeString(pod.resolve("memory.events"), "low 0\nhigh 12\nmax 3\noom 1\noom_kill 1\n");
		Files.writeString(pod.resolve("memory.pressure"),
				"some avg10=12.50 avg60=3.00 avg300=1.00 total=12345\nfull avg10=2.00 avg60=0.00 avg300=0.00 total=1\n");
		Files.writeString(app.resolve("memory.current"), "1\n");
		ContainerUsage usage = memory().read();
		assertThat(usage.version()).isEqualTo(2);
		assertThat(usage.path()).isEqualTo("/kubepods.slice/pod1");
		assertThat(usage.limit()).isEqualTo(1024 * MB);
		assertThat(usage.high()).isEqualTo(768 * MB);
		assertThat(usage.usage()).isEqualTo(700 * MB);
		assertThat(usage.workingSet()).isEqualTo(660 * MB);
		assertThat(usage.oomKills()).isEqualTo(1);
		assertThat(usage.pressureStall()).isEqualTo(0.125);
	}

	@Test
	void cgroupV2InAPrivateNamespaceIsTheMountPointItself() throws IOException {
		procSelf("0::/\n", "25 20 0:23 / /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n");
		Path dir = v2("sys/fs/cgroup", "536870912", "max");
		Files.writeString(dir.resolve("memory.current"), "104857600\n");
		ContainerUsage usage = memory().read();
		assertThat(usage.limit()).isEqualTo(512 * MB);
		assertThat(usage.high()).isEqualTo(-1);
		assertThat(usage.path()).isEqualTo("/");
		assertThat(usage.pressureStall()).isNaN();
	}

	@Test
	void hybridUsesTheV1MemoryControllerAndTheUnifiedCgroupsPressureStall() throws IOException {
		procSelf("9:name=systemd:/\n4:memory:/process_api/a\n0::/process_api/a\n",
				"35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
						+ "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
		v1("sys/fs/cgroup/memory/process_api/a", 300 * MB, 100 * MB, 0, 0);
		Path unified = Files.createDirectories(this.root.resolve("sys/fs/cgroup/unified/process_api/a"));
		Files.writeString(unified.resolve("memory.pressure"), "some avg10=4.00 avg60=0 avg300=0 total=1\n");
		ContainerUsage usage = memory().read();
		assertThat(usage.version()).isEqualTo(1);
		assertThat(usage.limit()).isEqualTo(300 * MB);
		assertThat(usage.pressureStall()).isEqualTo(0.04);
	}

	@Test
	void escapedMountPointsAreDecoded() {
		assertThat(CgroupDiscovery.unescape("/mnt/with\\040space")).isEqualTo("/mnt/with space");
		assertThat(CgroupDiscovery.unescape("/plain")).isEqualTo("/plain");
	}

	@Test
	void withoutCgroupFilesNothingIsKnown() {
		ContainerMemory memory = memory();
		assertThat(memory.cgroup()).isNull();
		assertThat(memory.read()).isEqualTo(ContainerUsage.NONE);
	}

	@Test
	void rssIsReadFromProcStatusInKilobytes() throws IOException {
		procSelf("", "");
		Files.writeString(this.root.resolve("proc/self/status"),
				"Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  204800 kB\nThreads:\t12\n");
		assertThat(memory().rss()).isEqualTo(204800L * 1024);
	}

	@Test
	void thisProcessHasAnRssAndACgroupOnLinux() {
		ContainerMemory system = ContainerMemory.system();
		assertThat(system.rss()).isPositive();
		assertThat(system.cgroup()).isNotNull();
	}

	private ContainerMemory memory() {
		return new ContainerMemory(this.root.resolve("proc/self"), this.root);
	}

	private void procSelf(String cgroup, String mountInfo) throws IOException {
		Path proc = Files.createDirectories(this.root.resolve("proc/self"));
		Files.writeString(proc.resolve("cgroup"), cgroup);
		Files.writeString(proc.resolve("mountinfo"), mountInfo);
	}

	private Path v1(String directory, long limit, long usage, long inactiveFile, long oomKills) throws IOException {
		Path dir = Files.createDirectories(this.root.resolve(directory));
		Files.writeString(dir.resolve("memory.limit_in_bytes"), limit + "\n");
		Files.writeString(dir.resolve("memory.usage_in_bytes"), usage + "\n");
		Files.writeString(dir.resolve("memory.stat"), "cache 0\nrss " + usage + "\nhierarchical_memory_limit "
				+ UNLIMITED_V1 + "\ntotal_cache 0\ntotal_rss " + usage + "\ntotal_inactive_file " + inactiveFile + "\n");
		Files.writeString(dir.resolve("memory.oom_control"),
				"oom_kill_disable 0\nunder_oom 0\noom_kill " + oomKills + "\n");
		return dir;
	}

	private void v1Limit(String directory, String limit) throws IOException {
		Path dir = Files.createDirectories(this.root.resolve(directory));
		Files.writeString(dir.resolve("memory.limit_in_bytes"), limit + "\n");
	}

	private Path v2(String directory, String max, String high) throws IOException {
		Path dir = Files.createDirectories(this.root.resolve(directory));
		Files.writeString(dir.resolve("memory.max"), max + "\n");
		Files.writeString(dir.resolve("memory.high"), high + "\n");
		return dir;
	}

}
