package dev.accrue.app.auth;

/** Who made a change, as the audit trail records it: an API key, a portal/console user, the CLI or the system itself. */
public record Actor(Type type, String id) {
    public enum Type { API_KEY, USER, CLI, SYSTEM }

    public static Actor cli() {
        return new Actor(Type.CLI, System.getProperty("user.name", "operator"));
    }

    public static Actor system() {
        return new Actor(Type.SYSTEM, "accrue");
    }

    public String wire() {
        return type.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
    }
}
