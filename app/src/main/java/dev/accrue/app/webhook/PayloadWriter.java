package dev.accrue.app.webhook;

/** Writes a payload (maps, lists, strings, numbers, booleans) as compact JSON. */
public interface PayloadWriter {
    String json(Object value);
}
