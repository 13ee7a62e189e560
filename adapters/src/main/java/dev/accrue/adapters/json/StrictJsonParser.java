package dev.accrue.adapters.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import dev.accrue.core.payment.CardNumbers;

import java.io.IOException;

/**
 * A parser that refuses, as it reads them, names and string values holding characters text may not hold
 * ({@link StrictText}) or longer than {@link TextLimits} allows at their place in the document. Every JSON and
 * YAML body is read through one, so the field path of the refusal ({@code billing_address.line1},
 * {@code billing_emails[1]}) comes from the parser itself and no reader can forget the rule.
 */
public final class StrictJsonParser extends JsonParserDelegate {
    private final TextLimits limits;
    private final boolean refuseCardNumbers;

    public StrictJsonParser(JsonParser parser, TextLimits limits) {
        this(parser, limits, true);
    }

    /**
     * {@code refuseCardNumbers}: a string or number that is a payment card number is refused (see
     * {@link CardNumbers}) — everywhere but the sandbox's tokenization path, so that no card number reaches a
     * table, a log or an idempotency record. The refusal never repeats the number.
     */
    public StrictJsonParser(JsonParser parser, TextLimits limits, boolean refuseCardNumbers) {
        super(parser);
        this.limits = limits;
        this.refuseCardNumbers = refuseCardNumbers;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken t = delegate.nextToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) {
            check(t);
        }
        // an integer too short to be a card number is not turned into a String to find out (quantities, counts)
        if (refuseCardNumbers && (t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME
                || t == JsonToken.VALUE_NUMBER_INT && delegate.getTextLength() >= 13)) {
            String text = t == JsonToken.FIELD_NAME ? delegate.currentName() : delegate.getText();
            if (CardNumbers.containsCardNumber(text)) {
                // a name that is a card number is not repeated either: the refusal names the object holding it
                String field = path(t == JsonToken.FIELD_NAME ? delegate.getParsingContext().getParent() : delegate.getParsingContext());
                throw new Refused(delegate, field, Refused.Reason.CARD_NUMBER, "'" + field + "' holds a payment card number. Accrue never accepts card "
                        + "numbers: tokenize the card with the payment gateway and send its token");
            }
        }
        return t;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = nextToken();
        return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    private void check(JsonToken t) throws IOException {
        String text = t == JsonToken.FIELD_NAME ? delegate.currentName() : delegate.getText();
        int at = StrictText.firstForbidden(text);
        int max = at >= 0 ? -1 : limits.maxLength(delegate.getParsingContext(), t == JsonToken.FIELD_NAME);
        if (at < 0 && text.length() <= max) {
            return;
        }
        String field = path(delegate.getParsingContext());
        String message = at >= 0 ? StrictText.describe(field, text, at)
                : "'" + field + "' is " + text.length() + " characters long; at most " + max + " are allowed";
        throw new Refused(delegate, field, at >= 0 ? Refused.Reason.CHARACTER : Refused.Reason.TOO_LONG, message);
    }

    /** The wire path of the current token: {@code a.b[2].c}. */
    public static String path(JsonStreamContext ctx) {
        StringBuilder out = new StringBuilder();
        java.util.ArrayDeque<JsonStreamContext> chain = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            chain.push(c);
        }
        for (JsonStreamContext c : chain) {
            if (c.inArray()) {
                out.append('[').append(Math.max(c.getCurrentIndex(), 0)).append(']');
            } else if (c.getCurrentName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(c.getCurrentName());
            }
        }
        return out.toString();
    }

    /** A refused name or value; {@code field} is its path in the document. */
    public static final class Refused extends JsonProcessingException {
        public enum Reason { CHARACTER, TOO_LONG, CARD_NUMBER }

        private final String field;
        private final Reason reason;

        Refused(JsonParser parser, String field, Reason reason, String message) {
            super(message, parser.currentLocation());
            this.field = field;
            this.reason = reason;
        }

        public String field() {
            return field;
        }

        public Reason reason() {
            return reason;
        }

        @Override
        public String getMessage() {
            return getOriginalMessage();
        }
    }
}
