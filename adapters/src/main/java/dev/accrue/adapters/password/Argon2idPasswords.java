package dev.accrue.adapters.password;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.accrue.app.console.PasswordHasher;

/**
 * Argon2id through password4j, with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane) and a 16-byte random
 * salt. The stored text is the PHC string, so a hash made with older parameters still verifies after a change.
 */
public final class Argon2idPasswords implements PasswordHasher {
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID, Argon2Function.ARGON2_VERSION_13);

    @Override
    public String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    @Override
    public boolean verify(String password, String stored) {
        try {
            return Password.check(password, stored).with(Argon2Function.getInstanceFromHash(stored));
        } catch (RuntimeException e) {
            return false; // not a hash we can read: never a match
        }
    }
}
