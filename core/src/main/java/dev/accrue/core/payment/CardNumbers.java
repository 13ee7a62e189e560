package dev.accrue.core.payment;

/**
 * Recognising payment card numbers (PANs), so that Accrue can refuse to receive one anywhere but the sandbox's
 * tokenization path. A PAN is 13 to 19 digits, optionally grouped by single spaces or dashes, that passes the
 * Luhn check, starts with a card network's issuer prefix and has a length that network issues. Both conditions
 * matter: Luhn alone lets 1 in 10 digit runs through, and ids that embed a timestamp (a 14-digit nanosecond count
 * starting with 2, an order number) must not be refused as cards; a Mastercard starting with 2 is always 16 digits.
 * Grouped, a card is written in groups of 3 to 6 digits (4-4-4-4, Amex 4-6-5, Diners 4-6-4, 4-4-4-4-3): a UUID's
 * groups of 8 and 12 are not one — read across its dashes, one random UUID in about 5,000 held a Luhn-valid
 * 16-digit run with an issuer's prefix, and the batch of events it came in was refused.
 */
public final class CardNumbers {
    private CardNumbers() {
    }

    /**
     * Whether {@code text} holds something that is a card number: 13–19 digits, separated at most by one space or
     * dash, not inside a longer run of digits. Every such candidate is tried, overlapping ones included — a date
     * written just before a dashed card number ("2026-12-01 4000-0000-0000-0002") forms one run with it, and the
     * card is the run's tail. One pass without a regex: every text of every request is checked (ids, timestamps,
     * usage properties), and almost none holds 13 digits in a row.
     */
    public static boolean containsCardNumber(String text) {
        if (text == null || text.length() < 13 || longestRun(text) < 13) {
            return false;
        }
        int n = text.length();
        char[] digits = new char[n];
        boolean[] edge = new boolean[n + 1]; // edge[k]: a candidate may start or end before the run's k-th digit
        int i = 0;
        while (i < n) {
            if (!isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int m = 0;
            boolean gluedBefore = i > 0 && Character.isLetter(text.charAt(i - 1));
            edge[0] = true;
            while (true) {
                digits[m++] = text.charAt(i++);
                if (i < n && isDigit(text.charAt(i))) {
                    edge[m] = false;
                } else if (i + 1 < n && (text.charAt(i) == ' ' || text.charAt(i) == '-') && isDigit(text.charAt(i + 1))) {
                    edge[m] = true;
                    i++;
                } else {
                    edge[m] = true;
                    break;
                }
            }
            boolean gluedAfter = i < n && Character.isLetter(text.charAt(i));
            if (m >= 13 && runHoldsCard(digits, edge, m, gluedBefore, gluedAfter)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The most digits in one run (digits joined at most by single spaces or dashes), read without allocating: the
     * usual text (an id, a timestamp, a quantity) has none of 13, and is answered by this pass alone.
     */
    private static int longestRun(String text) {
        int longest = 0, run = 0, n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                run++;
                longest = Math.max(longest, run);
            } else if (!(run > 0 && (c == ' ' || c == '-') && i + 1 < n && isDigit(text.charAt(i + 1)))) {
                run = 0;
            }
        }
        return longest;
    }

    private static boolean runHoldsCard(char[] digits, boolean[] edge, int m, boolean gluedBefore, boolean gluedAfter) {
        for (int start = 0; start + 13 <= m; start++) {
            if (!edge[start] || digits[start] < '2' || digits[start] > '6') {
                continue;
            }
            for (int end = start + 13; end <= Math.min(m, start + 19); end++) {
                boolean glued = (start == 0 && gluedBefore) || (end == m && gluedAfter);
                if (edge[end] && groupedAsCard(edge, start, end, glued)) {
                    String candidate = new String(digits, start, end - start);
                    if (luhn(candidate) && issuedLength(candidate)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Whether the digits between {@code start} and {@code end} are one plain run, or groups written as a card is: a
     * first group of 4, the others of 3 to 6, not glued to letters (a group cut out of a longer hex group, as a
     * UUID's "…abcd1234-1234-1234-1234…", is not one). {@code edge[k]} inside a run is true only where a space or
     * dash separates digits; {@code glued}: a letter touches the candidate's first or last digit.
     */
    private static boolean groupedAsCard(boolean[] edge, int start, int end, boolean glued) {
        int groupStart = start;
        for (int k = start + 1; k < end; k++) {
            if (edge[k]) {
                int size = k - groupStart;
                if (glued || (groupStart == start ? size != 4 : size < 3 || size > 6)) {
                    return false;
                }
                groupStart = k;
            }
        }
        int last = end - groupStart;
        return groupStart == start || (last >= 3 && last <= 6);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The digits of {@code number} with spaces and dashes dropped; null when anything else is in it. */
    public static String normalise(String number) {
        if (number == null) {
            return null;
        }
        String d = digits(number);
        return d.length() == number.replace(" ", "").replace("-", "").length() ? d : null;
    }

    /** The Luhn (mod 10) check every card number passes. */
    public static boolean luhn(String digits) {
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** The card brand by its issuer prefix (visa, mastercard, amex, discover, jcb, diners, unionpay), or "unknown". */
    public static String brand(String digits) {
        if (digits.startsWith("4")) {
            return "visa";
        }
        if (digits.startsWith("34") || digits.startsWith("37")) {
            return "amex";
        }
        int two = Integer.parseInt(digits.substring(0, 2));
        int four = Integer.parseInt(digits.substring(0, 4));
        if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) {
            return "mastercard";
        }
        if (digits.startsWith("6011") || digits.startsWith("65") || (four >= 6440 && four <= 6499)) {
            return "discover";
        }
        if (four >= 3528 && four <= 3589) {
            return "jcb";
        }
        if (digits.startsWith("36") || digits.startsWith("300") || digits.startsWith("305")) {
            return "diners";
        }
        if (digits.startsWith("62")) {
            return "unionpay";
        }
        return "unknown";
    }

    /** Whether a network issues card numbers with this prefix at this length (unknown prefixes: never). */
    static boolean issuedLength(String digits) {
        int n = digits.length();
        return switch (brand(digits)) {
            case "visa" -> n == 13 || n == 16 || n == 19;
            case "mastercard" -> n == 16;
            case "amex" -> n == 15;
            case "diners" -> n >= 14 && n <= 19;
            case "discover", "jcb", "unionpay" -> n >= 16 && n <= 19;
            default -> false;
        };
    }

    private static String digits(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
