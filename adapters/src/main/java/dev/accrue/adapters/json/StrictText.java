package dev.accrue.adapters.json;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What text may reach the database: valid UTF-8, without NUL or other control characters (PostgreSQL refuses
 * NUL, and the others only hide things in names, emails and PDFs). Tab, line feed and carriage return are
 * text. Every body reader and every query parameter goes through here, so the rule is the same everywhere.
 */
public final class StrictText {
    private StrictText() {
    }

    /** The body decoded as UTF-8; malformed or truncated sequences are refused ({@code invalid_text}), never replaced. */
    public static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AccrueException(ErrorCode.INVALID_TEXT, "body", "The request body is not valid UTF-8 (" + e.getMessage() + ")");
        }
    }

    /** Checks the body is UTF-8 without decoding it into a string (for readers that parse the bytes themselves). */
    public static void requireUtf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0) {
            i++; // ASCII fast path: most bodies never leave it
        }
        if (i < bytes.length) {
            decode(bytes);
        }
    }

    /** The index of the first character that text may not hold, or -1. */
    public static int firstForbidden(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : c >= 0x7f && c <= 0x9f) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                // only a high surrogate followed by a low one is a character; a lone half cannot be stored
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Refuses {@code value} of input {@code field} if it holds a character text may not hold. */
    public static void require(String field, CharSequence value) {
        if (value == null) {
            return;
        }
        int at = firstForbidden(value);
        if (at >= 0) {
            throw new AccrueException(ErrorCode.INVALID_TEXT, field, describe(field, value, at));
        }
    }

    static String describe(String field, CharSequence value, int at) {
        return "'" + field + "' holds the control character U+" + String.format("%04X", (int) value.charAt(at))
                + " at position " + at + "; text may not hold NUL, control characters or unpaired surrogates";
    }
}
