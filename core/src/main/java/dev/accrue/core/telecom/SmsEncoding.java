package dev.accrue.core.telecom;

/**
 * How an SMS is carried. GSM_7 packs 7-bit septets (160 per single message, 153 per part once the user data
 * header takes its share); UCS_2 uses 16-bit code units (70 single, 67 per part).
 */
public enum SmsEncoding {
    GSM_7(160, 153),
    UCS_2(70, 67);

    private final int single;
    private final int perPart;

    SmsEncoding(int single, int perPart) {
        this.single = single;
        this.perPart = perPart;
    }

    /** Units (septets or UTF-16 code units) that fit in a message sent on its own. */
    public int single() {
        return single;
    }

    /** Units that fit in each part of a concatenated message. */
    public int perPart() {
        return perPart;
    }
}
