package dev.accrue.server;

import dev.accrue.adapters.http.ratelimit.RateLimits;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a node starts. With no {@code dbUrl} the node runs an embedded PostgreSQL whose data lives under
 * {@code dataDir}; with one it uses that PostgreSQL. Values come from flags, then environment variables
 * (ACCRUE_DB_URL, ACCRUE_DB_USER, ACCRUE_DB_PASSWORD, ACCRUE_DB_POOL, ACCRUE_DB_TIMEOUT_MS, ACCRUE_HOST, ACCRUE_PORT,
 * ACCRUE_DATA_DIR, ACCRUE_RATE_LIMIT_KEY, ACCRUE_RATE_LIMIT_ADDRESS, ACCRUE_RATE_LIMIT_FAILED_AUTH, ACCRUE_PUBLIC_URL), then
 * defaults. {@code dbTimeoutMillis} bounds how long a request waits for a database connection: with the database gone,
 * requests answer {@code 503 database_unavailable} after that long. {@code publicUrl} is where customers reach the
 * node (hosted document links); unset, the address it listens on.
 */
public record AccrueConfig(String host, int port, Path dataDir, String dbUrl, String dbUser, String dbPassword, int dbPoolSize,
                           int dbTimeoutMillis, RateLimits rateLimits, String publicUrl) {

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_DB_TIMEOUT_MILLIS = 3000;

    public AccrueConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535 (0 picks a free port), got " + port);
        }
        if (dbTimeoutMillis < 250 || dbTimeoutMillis > 60_000) {
            throw new IllegalArgumentException("ACCRUE_DB_TIMEOUT_MS must be 250-60000 (milliseconds), got " + dbTimeoutMillis);
        }
        if (dbPoolSize < 1 || dbPoolSize > 200) {
            throw new IllegalArgumentException("database pool size must be 1-200, got " + dbPoolSize);
        }
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("ACCRUE_DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), got " + dbUrl);
        }
        if (publicUrl != null && !publicUrl.matches("https?://[^\\s/]+(/[^\\s]*)?")) {
            throw new IllegalArgumentException("ACCRUE_PUBLIC_URL must be an http(s) URL such as https://billing.example.com, got " + publicUrl);
        }
        if (publicUrl != null && publicUrl.endsWith("/")) {
            publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        }
    }

    public AccrueConfig(String host, int port, Path dataDir, String dbUrl, String dbUser, String dbPassword, int dbPoolSize) {
        this(host, port, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, DEFAULT_DB_TIMEOUT_MILLIS, RateLimits.DEFAULT, null);
    }

    public boolean embedded() {
        return dbUrl == null;
    }

    public static AccrueConfig fromEnvironment(Map<String, String> env) {
        // read by logback.xml itself (the appender is chosen by name); checked here so a typo stops the node at boot
        String logFormat = env.getOrDefault("ACCRUE_LOG_FORMAT", "text");
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new IllegalArgumentException("ACCRUE_LOG_FORMAT must be 'text' or 'json', got '" + logFormat + "'");
        }
        String port = env.getOrDefault("ACCRUE_PORT", Integer.toString(DEFAULT_PORT));
        int parsedPort;
        try {
            parsedPort = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ACCRUE_PORT must be a number, got '" + port + "'");
        }
        return new AccrueConfig(
                env.getOrDefault("ACCRUE_HOST", "127.0.0.1"),
                parsedPort,
                Path.of(env.getOrDefault("ACCRUE_DATA_DIR", "data")),
                blankToNull(env.get("ACCRUE_DB_URL")),
                env.getOrDefault("ACCRUE_DB_USER", "postgres"),
                env.getOrDefault("ACCRUE_DB_PASSWORD", "postgres"),
                Integer.parseInt(env.getOrDefault("ACCRUE_DB_POOL", "16")),
                number(env, "ACCRUE_DB_TIMEOUT_MS", DEFAULT_DB_TIMEOUT_MILLIS),
                new RateLimits(number(env, "ACCRUE_RATE_LIMIT_KEY", RateLimits.DEFAULT.perKeyPerSecond()),
                        number(env, "ACCRUE_RATE_LIMIT_ADDRESS", RateLimits.DEFAULT.perAddressPerSecond()),
                        number(env, "ACCRUE_RATE_LIMIT_FAILED_AUTH", RateLimits.DEFAULT.failedAuthPerMinute())),
                blankToNull(env.get("ACCRUE_PUBLIC_URL")));
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
        }
    }

    public AccrueConfig withPort(int newPort) {
        return new AccrueConfig(host, newPort, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, dbTimeoutMillis, rateLimits, publicUrl);
    }

    public AccrueConfig withHost(String newHost) {
        return new AccrueConfig(newHost, port, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, dbTimeoutMillis, rateLimits, publicUrl);
    }

    public AccrueConfig withDataDir(Path dir) {
        return new AccrueConfig(host, port, dir, dbUrl, dbUser, dbPassword, dbPoolSize, dbTimeoutMillis, rateLimits, publicUrl);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
