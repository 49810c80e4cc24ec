package dev.memoryguard.test;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.util.unit.DataSize;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;

import static dev.memoryguard.test.MemoryGuardAssertions.assertThatJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link WithMemoryPressure} on test methods of a {@code @SpringBootTest}.
 */
@SpringBootTest(classes = GuardedApplication.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WithMemoryPressureTests {

	@Autowired
	private MemoryGuard guard;

	@Autowired
	private ReportJob job;

	@Autowired
	private HealthEndpoint health;

	@Autowired
	private TestMemoryProbe probe;

	@Test
	@Order(1)
	@WithMemoryPressure(MemoryPressure.CRITICAL)
	void criticalPressureSkipsGuardedJobsAndTakesMemoryHealthOutOfService() {
		this.job.run();
		assertThatJob(this.guard, ReportJob.NAME).wasSkipped().ran(0);
		assertThat(this.health.healthForPath("memory").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(this.guard.probe()).isSameAs(this.probe);
	}

	@Test
	@Order(2)
	void nextTestWithoutTheAnnotationSeesNormal() {
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.NORMAL);
		assertThat(this.health.healthForPath("memory").getStatus()).isEqualTo(Status.UP);
		this.job.run();
		assertThatJob(this.guard, ReportJob.NAME).ran(1).allocatedAtMost(DataSize.ofMegabytes(3));
	}

	@Test
	@Order(3)
	@WithMemoryPressure(liveRatio = 0.75)
	void liveRatioSetsTheLiveHeap() {
		assertThat(this.guard.snapshot().liveRatio()).isCloseTo(0.75, within(0.001));
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.WARNING);
	}

	@Test
	@Order(4)
	void jobAssertionsCountWhatThisTestDid() {
		this.job.run();
		this.job.run();
		assertThatJob(this.guard, ReportJob.NAME).ran(2);
		assertThat(this.guard.jobs().stats(ReportJob.NAME).runs()).isEqualTo(3);
	}

}
