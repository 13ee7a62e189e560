package dev.accrue.adapters.http;

import dev.accrue.adapters.http.observe.RequestContext;
import dev.accrue.adapters.http.observe.RequestTimers;
import dev.accrue.adapters.http.ratelimit.RateLimiter;
import dev.accrue.app.auth.Caller;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.slf4j.MDC;
import java.util.EnumSet;
import dev.accrue.adapters.http.support.ErrorMapper;
import dev.accrue.adapters.http.support.Problem;
import dev.accrue.adapters.http.support.ProblemErrorHandler;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.app.tenant.ApiKeyService;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.function.Consumer;

/**
 * The HTTP front door: authentication of /v1, problem+json for every error, request metrics, and the routes
 * each feature registers. Handlers run on virtual threads.
 */
public final class ApiServer {
    public static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;
    private static final String STARTED = "accrue.started";
    private final Javalin app;

    public ApiServer(ApiKeyService keys, RateLimiter limiter, PrometheusMeterRegistry metrics, List<Consumer<RoutesConfig>> routes) {
        RequestTimers timers = new RequestTimers(metrics);
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.router.ignoreTrailingSlashes = true;
            // what Jetty refuses before a route runs (bad URI, URI or headers too long) is problem+json too
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            // the HTTP server's own pool (jetty_threads_*): with virtual threads only its current and idle counts mean anything
            config.jetty.modifyServer(server -> new JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty()).bindTo(metrics));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new ProblemErrorHandler()));
            // request id, MDC and the access log around everything the servlet layer answers, error pages included
            config.jetty.modifyServletContextHandler(handler -> handler.addFilter(new FilterHolder(new RequestContext(metrics)), "/*",
                    EnumSet.of(DispatcherType.REQUEST)));
            RoutesConfig app = config.routes;
            // one handler for every request, not three: each before-handler is a task Javalin matches against the path per request
            app.before(ctx -> {
                ctx.attribute(STARTED, System.nanoTime());
                // Javalin 7 enforces maxRequestSize only while reading a body: a declared length over it is refused before that
                if (ctx.req().getContentLengthLong() > MAX_REQUEST_BYTES) {
                    throw new ContentTooLargeResponse();
                }
                Requests.requireCleanQuery(ctx);
            });
            app.before("/v1/*", ctx -> authenticate(ctx, keys, limiter));
            app.after(ctx -> record(ctx, timers));
            app.exception(Exception.class, ErrorMapper::handle);
            // Javalin answers its own HttpResponseExceptions (413 body too large, 405…) as text unless told otherwise
            app.exception(HttpResponseException.class, ErrorMapper::handle);
            // Javalin answers unmatched routes with plain text; our own 404s are already problem documents, or the
            // portal's and console's own error pages (HTML) — those are kept too
            app.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !(type.startsWith(Problem.CONTENT_TYPE) || type.startsWith("text/html"))) {
                    ErrorMapper.handle(new NotFoundResponse(), ctx);
                }
            });
            routes.forEach(r -> r.accept(app));
        });
    }

    /** Budgets first (per address, failed authentications), then the key, then the key's own budget. */
    private static void authenticate(Context ctx, ApiKeyService keys, RateLimiter limiter) {
        if (HandlerType.OPTIONS.equals(ctx.method())) {
            return;
        }
        String address = ctx.req().getRemoteAddr();
        limiter.admitAddress(address);
        String header = ctx.header("Authorization");
        if (header == null && Requests.anonymousAllowed(ctx)) {
            return;
        }
        String secret = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Caller caller = limiter.authenticate(address, () -> keys.authenticate(secret));
        ctx.attribute(Requests.CALLER, caller);
        MDC.put(RequestContext.TENANT, caller.tenantId());
        MDC.put(RequestContext.KEY, caller.actor().id());
    }

    private static void record(Context ctx, RequestTimers timers) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        var matched = ctx.endpoints().matchedHttpEndpoint();
        String route = matched == null ? null : matched.path;
        ctx.attribute(RequestContext.ROUTE, route == null || route.isEmpty() ? null : route);
        timers.of(ctx.method(), route == null || route.isEmpty() ? "unmatched" : route, ctx.statusCode())
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public ApiServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }
}
