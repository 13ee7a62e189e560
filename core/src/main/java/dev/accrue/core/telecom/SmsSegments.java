package dev.accrue.core.telecom;

import dev.accrue.core.error.AccrueException;

import java.util.ArrayList;
import java.util.List;

/**
 * How many billable segments a text message takes. {@code units} is the encoded length (septets for GSM-7,
 * UTF-16 code units for UCS-2); {@code characters} counts Unicode code points, so an emoji is one character
 * but two UCS-2 units.
 *
 * <p>An empty text is one segment: carriers send, and bill, an empty message as one.
 */
public record SmsSegments(SmsEncoding encoding, int segments, int characters, int units) {

    public static SmsSegments of(String text) {
        List<String> parts = split(text);
        SmsEncoding encoding = encoding(text);
        return new SmsSegments(encoding, parts.size(), text.codePointCount(0, text.length()), units(text, encoding));
    }

    /** GSM-7 when every character is in the basic or extension table, else UCS-2. */
    public static SmsEncoding encoding(String text) {
        requireText(text);
        return Gsm7.canEncode(text) ? SmsEncoding.GSM_7 : SmsEncoding.UCS_2;
    }

    /**
     * The parts as a handset would receive them. Splitting is by whole code point: a GSM-7 escape pair and a
     * UTF-16 surrogate pair are never cut, so a part may carry fewer units than its capacity.
     */
    public static List<String> split(String text) {
        SmsEncoding encoding = encoding(text);
        if (units(text, encoding) <= encoding.single()) {
            return List.of(text);
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int cost = cost(codePoint, encoding);
            if (used + cost > encoding.perPart()) {
                parts.add(text.substring(start, i));
                start = i;
                used = 0;
            }
            used += cost;
            i += Character.charCount(codePoint);
        }
        parts.add(text.substring(start));
        return List.copyOf(parts);
    }

    static int units(String text, SmsEncoding encoding) {
        return encoding == SmsEncoding.UCS_2 ? text.length()
                : text.codePoints().map(Gsm7::septets).sum();
    }

    private static int cost(int codePoint, SmsEncoding encoding) {
        return encoding == SmsEncoding.GSM_7 ? Gsm7.septets(codePoint) : Character.charCount(codePoint);
    }

    private static void requireText(String text) {
        if (text == null) {
            throw AccrueException.invalid("text", "An SMS needs a text; use \"\" for an empty message");
        }
    }
}
