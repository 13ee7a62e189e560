package dev.accrue.adapters.payment.sandbox;

import dev.accrue.core.payment.CardNumbers;

import java.security.SecureRandom;

/**
 * The random part of every reference the sandbox gateway issues (tokens, charges, refunds, events). Every request
 * body is scanned for card numbers, and a reference the sandbox hands out comes back in one (a token added as a
 * payment method): in hex, one token in about 12,000 held a Luhn-valid run of 13–19 digits with an issuer's
 * prefix and was refused as a card number. References are drawn in base 62, as a real gateway's are, and one that
 * would still be taken for a card is drawn again — the rule is {@link CardNumbers}' own, so the two cannot drift.
 */
final class SandboxReferences {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SandboxReferences() {
    }

    /** {@code prefix} followed by {@code length} random base-62 characters that no card-number scan refuses. */
    static String next(String prefix, int length) {
        while (true) {
            StringBuilder out = new StringBuilder(prefix.length() + length).append(prefix);
            for (int i = 0; i < length; i++) {
                out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            String reference = out.toString();
            if (!CardNumbers.containsCardNumber(reference)) {
                return reference;
            }
        }
    }
}
