package dev.accrue.core.telecom;

/** The GSM 03.38 default alphabet: which characters GSM-7 can carry and how many septets each costs. */
final class Gsm7 {

    /**
     * The basic character table in code order (0x00-0x7F), row by row. 0x1B is the escape to the extension
     * table, not a character, so it is left out (a text containing U+001B is not GSM-7). 0x09 is the capital
     * Ç as the standard defines it; the Greek capitals are those without a Latin look-alike.
     */
    static final String BASIC =
            "@£$¥èéùìòÇ\nØø\rÅå"
            + "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
            + " !\"#¤%&'()*+,-./"
            + "0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNO"
            + "PQRSTUVWXYZÄÖÑÜ§"
            + "¿abcdefghijklmno"
            + "pqrstuvwxyzäöñüà";

    /** Extension table characters: each is sent as ESC + code, two septets that must stay in one part. */
    static final String EXTENSION = "\f^{}\\[~]|€";

    private Gsm7() {
    }

    /** Septets for one code point: 1 (basic), 2 (extension), or 0 when GSM-7 cannot carry it. */
    static int septets(int codePoint) {
        if (codePoint > 0xFFFF) {
            return 0; // every GSM-7 character is in the Basic Multilingual Plane
        }
        if (BASIC.indexOf(codePoint) >= 0) {
            return 1;
        }
        return EXTENSION.indexOf(codePoint) >= 0 ? 2 : 0;
    }

    static boolean canEncode(String text) {
        return text.codePoints().allMatch(cp -> septets(cp) > 0);
    }
}
