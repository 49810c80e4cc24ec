package dev.memoryguard;

import dev.memoryguard.container.ContainerUsage;

/**
 * A {@link ManualMemoryProbe} under its former name.
 *
 * @deprecated since 0.1.0 for removal: tests use {@code dev.memoryguard.test.TestMemoryProbe}
 * of the {@code memory-guard-test} artifact (or its {@code @WithMemoryPressure}
 * annotation), applications that set readings by hand use {@link ManualMemoryProbe}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public class TestMemoryProbe extends ManualMemoryProbe {

	@Override
	public TestMemoryProbe setLiveRatio(double liveRatio) {
		super.setLiveRatio(liveRatio);
		return this;
	}

	@Override
	public TestMemoryProbe setUsedRatio(double usedRatio) {
		super.setUsedRatio(usedRatio);
		return this;
	}

	@Override
	public TestMemoryProbe setHeapMax(long heapMax) {
		super.setHeapMax(heapMax);
		return this;
	}

	@Override
	public TestMemoryProbe setRss(long rss, long containerLimit) {
		super.setRss(rss, containerLimit);
		return this;
	}

	@Override
	public TestMemoryProbe setContainer(ContainerUsage container) {
		super.setContainer(container);
		return this;
	}

	@Override
	public TestMemoryProbe setPressure(MemoryPressure pressure) {
		super.setPressure(pressure);
		return this;
	}

	@Override
	public String describe() {
		return "test probe";
	}

}
