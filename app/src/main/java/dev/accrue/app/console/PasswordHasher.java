package dev.accrue.app.console;

/** A memory-hard password hash (the adapter uses Argon2id); the stored text carries its own salt and parameters. */
public interface PasswordHasher {
    String hash(String password);

    boolean verify(String password, String stored);
}
