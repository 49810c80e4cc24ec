package dev.memoryguard.test;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.container.ContainerUsage;

/**
 * A {@link ManualMemoryProbe} for tests: readings set by hand, each applied by the guard
 * (its level changed and every pressure listener called) before the setter returns.
 * <p>
 * {@link WithMemoryPressure @WithMemoryPressure} puts one in a Spring test's application
 * context and sets its level for each test. To move the level within a test, inject it:
 * <pre class="code">
 * &#064;SpringBootTest
 * &#064;WithMemoryPressure(MemoryPressure.NORMAL)
 * class ExportTests {
 *
 *     &#064;Autowired
 *     TestMemoryProbe probe;
 *
 *     &#064;Test
 *     void exportIsRefusedOnceMemoryIsCritical() {
 *         // ... an export that succeeds ...
 *         this.probe.setPressure(MemoryPressure.CRITICAL);
 *         // ... the same export, refused ...
 *     }
 *
 * }
 * </pre>
 * Without the annotation, declare it as a bean (a {@code @TestConfiguration} method
 * returning {@code new TestMemoryProbe()}): the auto-configured guard then reads it
 * instead of the JVM.
 */
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
