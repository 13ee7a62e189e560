package dev.accrue.server.support;

/**
 * A suffix that makes a test's names, emails and ids unique. Not a raw {@code System.nanoTime()}: every text a
 * request carries is scanned for card numbers, and the clock's 13 to 16 digits (its length and first digit depend
 * on the machine's uptime) pass as a Visa or Amex number about once in ten — a test then failed with
 * {@code raw_card_number_refused} on some machines, some hours of the day. Base 36 never leaves 13 digits in a row.
 */
public final class Unique {
    private Unique() {
    }

    public static String suffix() {
        return Long.toString(System.nanoTime(), 36);
    }
}
