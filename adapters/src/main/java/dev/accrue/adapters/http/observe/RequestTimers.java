package dev.accrue.adapters.http.observe;

import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code accrue_http_requests} by method, route template and status: one timer per combination, looked up in a map
 * of its own rather than built and registered again on every request (a builder, three tags sorted into an id, the
 * registry's lookup of that id). The combinations are bounded: methods, the route templates (never a raw path:
 * unmatched requests share "unmatched") and HTTP statuses.
 */
public final class RequestTimers {
    private record Key(HandlerType method, String route, int status) {
    }

    private final MeterRegistry metrics;
    private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

    public RequestTimers(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public Timer of(HandlerType method, String route, int status) {
        Key key = new Key(method, route, status);
        Timer timer = timers.get(key);
        return timer != null ? timer : timers.computeIfAbsent(key, k -> Timer.builder("accrue_http_requests")
                .description("HTTP requests by route and status")
                .tag("method", k.method().name())
                .tag("route", k.route())
                .tag("status", Integer.toString(k.status()))
                .publishPercentileHistogram()
                .register(metrics));
    }
}
