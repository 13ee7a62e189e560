package dev.accrue.adapters.http.observe;

import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code accrue_http_requests} by method, route template and status: one timer per combination, looked up in a map
 * of its own rather than built and registered again on every request (a builder, three tags sorted into an id, the
 * registry's lookup of that id). Route templates are never raw paths (unmatched requests share "unmatched") and
 * statuses are few; only the method is the client's to choose, so the map keeps at most {@link #MAX_KEPT}.
 */
public final class RequestTimers {
    private record Key(HandlerType method, String route, int status) {
    }

    private static final int MAX_KEPT = 4_096;
    private final MeterRegistry metrics;
    private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

    public RequestTimers(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public Timer of(HandlerType method, String route, int status) {
        Key key = new Key(method, route, status);
        Timer timer = timers.get(key);
        if (timer != null) {
            return timer;
        }
        // a client can send any method name: past this many combinations they are registered as before, not kept here too
        return timers.size() < MAX_KEPT ? timers.computeIfAbsent(key, this::register) : register(key);
    }

    private Timer register(Key k) {
        return Timer.builder("accrue_http_requests")
                .description("HTTP requests by route and status")
                .tag("method", k.method().name())
                .tag("route", k.route())
                .tag("status", Integer.toString(k.status()))
                .publishPercentileHistogram()
                .register(metrics);
    }
}
