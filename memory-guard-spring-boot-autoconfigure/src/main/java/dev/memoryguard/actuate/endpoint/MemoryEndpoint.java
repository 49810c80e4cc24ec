package dev.memoryguard.actuate.endpoint;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryReading;
import dev.memoryguard.MemorySnapshot;
import dev.memoryguard.RequestedCollections;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor.CacheDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor.DirectBuffersDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor.GcDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor.GcSelfDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor.HeapDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor.HttpDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor.JobDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor.LeakDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor.NonHeapDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor.ProcessDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor.ThresholdsDescriptor;
import dev.memoryguard.actuate.history.MemoryHistory;
import dev.memoryguard.cache.CacheReport;
import dev.memoryguard.cache.GuardedCacheRegistry;
import dev.memoryguard.leak.LeakMonitor;
import dev.memoryguard.leak.LeakReport;
import dev.memoryguard.relief.ActionReport;
import dev.memoryguard.relief.MemoryRelief;
import dev.memoryguard.relief.ReliefReport;
import dev.memoryguard.web.HttpShedding;

/**
 * {@link Endpoint @Endpoint} that shows what the {@link MemoryGuard} sees: the level,
 * heap, non-heap and direct memory, the process against its container limit, the garbage
 * collector, guarded caches and jobs, the leak suspicion and the requests refused. The
 * endpoint only shapes data; the numbers come from the guard and the registries.
 * <p>
 * Its default access is {@link Access#READ_ONLY read-only}: running relief and emptying
 * caches need {@code management.endpoint.memory.access=unrestricted}.
 */
@Endpoint(id = "memory", defaultAccess = Access.READ_ONLY)
public class MemoryEndpoint {

	/**
	 * Name of the write operation that runs relief: {@code POST /actuator/memory/relieve}.
	 */
	public static final String RELIEVE = "relieve";

	/**
	 * Name of the section holding the guarded caches: {@code /actuator/memory/caches}.
	 */
	public static final String CACHES = "caches";

	private final MemoryGuard guard;

	private final ObjectProvider<GuardedCacheRegistry> caches;

	private final ObjectProvider<LeakMonitor> leakMonitor;

	private final ObjectProvider<MemoryRelief> relief;

	private final Duration leakWindow;

	private final ObjectProvider<MemoryHistory> history;

	private final RequestedCollections collections;
	private final ObjectProvider<HttpShedding> http;

	/**
	 * Creates a new endpoint.
	 * @param guard the guard whose readings are shown
	 * @param caches the guarded caches, if any
	 * @param leakMonitor the leak monitor, if any
	 * @param relief what runs relief, if anything
	 * @param leakWindow the leak window reported while no leak monitor exists
	 * @param history the recent readings, if recorded
	 * @param collections the collections the guard requests
	 * @param http the requests refused, in a web application
	 */
	public MemoryEndpoint(MemoryGuard guard, ObjectProvider<GuardedCacheRegistry> caches,
			ObjectProvider<LeakMonitor> leakMonitor, ObjectProvider<MemoryRelief> relief, Duration leakWindow,
			ObjectProvider<MemoryHistory> history, RequestedCollections collections,
			ObjectProvider<HttpShedding> http) {
		this.guard = guard;
		this.caches = caches;
		this.leakMonitor = leakMonitor;
		this.relief = relief;
		this.leakWindow = leakWindow;
		this.history = history;
		this.collections = collections;
		this.http = http;
	}

	/**
	 * Returns the whole document.
	 * @return the current state of memory
	 */
	@ReadOperation
	public MemoryDescriptor memory() {
		MemorySnapshot snapshot = this.guard.snapshot();
		MemoryReading reading = snapshot.reading();
		return new MemoryDescriptor(snapshot.pressure(), snapshot.timestamp().toString(), uptime().toString(),
				ThresholdsDescriptor.of(snapshot), HeapDescriptor.of(reading),
				new NonHeapDescriptor(reading.nonHeapUsed(), reading.nonHeapCommitted()),
				new DirectBuffersDescriptor(reading.directUsed(), reading.directCount()),
				ProcessDescriptor.of(reading), GcDescriptor.of(reading, this.guard.probe().describe()), caches(),
				jobs(), leak(), GcSelfDescriptor.of(this.collections), http());
	}

	/**
	 * Returns one section of the document, not wrapped.
	 * @param section the section name, such as {@code heap}, {@code caches} or
	 * {@code jobs}, or {@code history}: the last 15 minutes of readings, oldest first,
	 * which is not part of the whole document
	 * @return the section, or {@code null} (a 404 over HTTP) when no section has that name
	 */
	@ReadOperation
	public @Nullable Object section(@Selector String section) {
		return switch (section) {
			case "history" -> {
				MemoryHistory recorded = this.history.getIfAvailable();
				yield (recorded != null) ? recorded.points() : null;
			}
			case "thresholds" -> ThresholdsDescriptor.of(this.guard.snapshot());
			case "heap" -> HeapDescriptor.of(reading());
			case "nonHeap" -> new NonHeapDescriptor(reading().nonHeapUsed(), reading().nonHeapCommitted());
			case "directBuffers" -> new DirectBuffersDescriptor(reading().directUsed(), reading().directCount());
			case "process" -> ProcessDescriptor.of(reading());
			case "gc" -> GcDescriptor.of(reading(), this.guard.probe().describe());
			case CACHES -> OperationResponseBody.of(caches());
			case "jobs" -> OperationResponseBody.of(jobs());
			case "leak" -> leak();
			case "gcSelf" -> GcSelfDescriptor.of(this.collections);
			case "http" -> http();
			default -> null;
		};
	}

	/**
	 * Runs relief now: every {@link dev.memoryguard.MemoryReliefAction}.
	 * @param operation the operation, {@value #RELIEVE}
	 * @return what relief freed (an empty report when nothing runs relief), or
	 * {@code null} for any other operation
	 */
	@WriteOperation
	public @Nullable ReliefDescriptor run(@Selector String operation) {
		if (!RELIEVE.equals(operation)) {
			return null;
		}
		MemoryRelief memoryRelief = this.relief.getIfAvailable();
		if (memoryRelief == null) {
			long live = reading().liveHeap();
			return ReliefDescriptor.of(new ReliefReport("endpoint", Instant.now(), live, live, 0, List.of()));
		}
		return ReliefDescriptor.of(memoryRelief.relieve("endpoint"));
	}

	/**
	 * Empties one guarded cache.
	 * @param section the section, {@value #CACHES}
	 * @param name the cache name
	 * @return the bytes freed, or {@code null} when no guarded cache has that name
	 */
	@DeleteOperation
	public @Nullable CacheClearedDescriptor clear(@Selector String section, @Selector String name) {
		if (!CACHES.equals(section)) {
			return null;
		}
		// applications may hold registries of their own beside the starter's
		return this.caches.orderedStream()
			.map((registry) -> registry.clear(name))
			.filter(OptionalLong::isPresent)
			.findFirst()
			.map((freed) -> new CacheClearedDescriptor(name, freed.getAsLong()))
			.orElse(null);
	}

	private MemoryReading reading() {
		return this.guard.snapshot().reading();
	}

	private Map<String, CacheDescriptor> caches() {
		Map<String, CacheReport> reports = new TreeMap<>();
		this.caches.orderedStream().forEach((registry) -> registry.reports().forEach(reports::putIfAbsent));
		return CacheDescriptor.of(reports);
	}

	private Map<String, JobDescriptor> jobs() {
		return JobDescriptor.of(this.guard.jobs().stats());
	}

	private LeakDescriptor leak() {
		LeakMonitor monitor = this.leakMonitor.getIfAvailable();
		LeakReport report = (monitor != null) ? monitor.report() : new LeakReport(false, 0, this.leakWindow, null);
		return LeakDescriptor.of(report);
	}

	private HttpDescriptor http() {
		return HttpDescriptor.of(this.http.getIfAvailable());
	}

	private static Duration uptime() {
		return Duration.ofSeconds(ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
	}

	/**
	 * What a relief run freed.
	 *
	 * @param trigger what started it
	 * @param timestamp when it started
	 * @param liveBefore live heap estimate before, in bytes
	 * @param liveAfter live heap estimate after, in bytes
	 * @param freed sum of what the actions reported freeing, in bytes
	 * @param actions each action's outcome, in the order they ran
	 */
	public record ReliefDescriptor(String trigger, String timestamp, long liveBefore, long liveAfter, long freed,
			List<ActionDescriptor> actions) implements OperationResponseBody {

		static ReliefDescriptor of(ReliefReport report) {
			return new ReliefDescriptor(report.trigger(), report.timestamp().toString(), report.liveBefore(),
					report.liveAfter(), report.freed(), report.actions().stream().map(ActionDescriptor::of).toList());
		}

	}

	/**
	 * What one relief action did.
	 *
	 * @param name the action's name
	 * @param succeeded whether it completed without throwing
	 * @param freed bytes it reported freeing
	 * @param duration how long it ran
	 * @param error the failure message, {@code null} when it succeeded
	 */
	@JsonInclude(Include.ALWAYS)
	public record ActionDescriptor(String name, boolean succeeded, long freed, String duration,
			@Nullable String error) {

		static ActionDescriptor of(ActionReport report) {
			return new ActionDescriptor(report.name(), report.succeeded(), report.freed(),
					report.duration().toString(), report.error());
		}

	}

	/**
	 * What emptying one guarded cache freed.
	 *
	 * @param cache the cache name
	 * @param freed the estimated bytes freed
	 */
	public record CacheClearedDescriptor(String cache, long freed) implements OperationResponseBody {

	}

}
