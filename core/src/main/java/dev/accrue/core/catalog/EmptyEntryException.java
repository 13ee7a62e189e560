package dev.accrue.core.catalog;

/** A list or map of a catalog document holds an empty entry; {@code key} names it so the reader can point there. */
public final class EmptyEntryException extends IllegalArgumentException {
    private final String key;

    public EmptyEntryException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
