package dev.accrue.server;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a node starts. With no {@code dbUrl} the node runs an embedded PostgreSQL whose data lives under
 * {@code dataDir}; with one it uses that PostgreSQL. Values come from flags, then environment variables
 * (ACCRUE_DB_URL, ACCRUE_DB_USER, ACCRUE_DB_PASSWORD, ACCRUE_HOST, ACCRUE_PORT, ACCRUE_DATA_DIR, ACCRUE_PUBLIC_URL), then
 * defaults. {@code publicUrl} is where customers reach the node (hosted document links); unset, the address
 * it listens on.
 */
public record AccrueConfig(String host, int port, Path dataDir, String dbUrl, String dbUser, String dbPassword, int dbPoolSize, String publicUrl) {

    public AccrueConfig(String host, int port, Path dataDir, String dbUrl, String dbUser, String dbPassword, int dbPoolSize) {
        this(host, port, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, null);
    }

    public static final int DEFAULT_PORT = 8080;

    public AccrueConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535 (0 picks a free port), got " + port);
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

    public boolean embedded() {
        return dbUrl == null;
    }

    public static AccrueConfig fromEnvironment(Map<String, String> env) {
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
                blankToNull(env.get("ACCRUE_PUBLIC_URL")));
    }

    public AccrueConfig withPort(int newPort) {
        return new AccrueConfig(host, newPort, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, publicUrl);
    }

    public AccrueConfig withHost(String newHost) {
        return new AccrueConfig(newHost, port, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, publicUrl);
    }

    public AccrueConfig withDataDir(Path dir) {
        return new AccrueConfig(host, port, dir, dbUrl, dbUser, dbPassword, dbPoolSize, publicUrl);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
