package dev.accrue.core.metering;

import dev.accrue.core.catalog.Metric;
import dev.accrue.core.telecom.NumberCountries;
import dev.accrue.core.telecom.SmsSegments;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Telecom conventions applied before validation, so clients can send what their switch knows:
 * <ul>
 *   <li>A message metered on {@code segments} may carry its {@code text} instead: the segments are computed
 *       from it (GSM-7 160/153, otherwise UCS-2 70/67), and the text itself is not stored.</li>
 *   <li>An automatic reply to an opt-out message ({@code kind: opt_out_reply}) is billed as what it is, an
 *       outbound SMS: {@code kind: sms, direction: outbound}, marked {@code auto_reply: true}.</li>
 *   <li>An inbound call carrying {@code forwarded_to} is two billable legs of the call's duration: the inbound
 *       call to the tracked number, stored under the call's own id (so a retry of the call, a cancellation or a
 *       correction names it as sent), and the outbound call to the destination, stored under
 *       {@link #forwardLegId} — an id no client can send, so no event of theirs ever collides with a leg. The
 *       outbound leg is rated at the destination's country ({@code country}), read from the number; a
 *       forward to a number of no known country is refused ({@code invalid_phone_number}).</li>
 * </ul>
 */
public final class TelecomEvents {
    public static final String SEGMENTS = "segments";
    public static final String TEXT = "text";
    public static final String FORWARDED_TO = "forwarded_to";
    public static final String DIRECTION = "direction";
    public static final String COUNTRY = "country";
    /** {@code #} is refused in the ids clients send ({@link EventRules}), so a leg id is out of their reach. */
    public static final String FORWARD_LEG_SUFFIX = "#out";

    private TelecomEvents() {
    }

    /** The events an event is billed as, or why it is refused. */
    public record Expansion(List<RawEvent> events, EventRejection rejection) {
        static Expansion of(RawEvent... events) {
            return new Expansion(List.of(events), null);
        }
    }

    /** The id of a forwarded call's outbound leg. */
    public static String forwardLegId(String callId) {
        return callId + FORWARD_LEG_SUFFIX;
    }

    /** Whether {@code eventId} names a forwarded call's outbound leg (never an id a client sent). */
    public static boolean isForwardLeg(String eventId) {
        return eventId.endsWith(FORWARD_LEG_SUFFIX);
    }

    public static Expansion expand(RawEvent raw, Metric metric, NumberCountries countries) {
        Map<String, Object> props = raw.properties();
        if (props == null) {
            return Expansion.of(raw);
        }
        if ("opt_out_reply".equals(props.get("kind"))) {
            Map<String, Object> sms = new LinkedHashMap<>(props);
            sms.put("kind", "sms");
            sms.put(DIRECTION, "outbound");
            sms.put("auto_reply", true);
            return expand(new RawEvent(raw.eventId(), raw.customerId(), raw.metric(), raw.timestamp(), sms), metric, countries);
        }
        if (SEGMENTS.equals(metric.field()) && !props.containsKey(SEGMENTS) && props.get(TEXT) instanceof String text) {
            Map<String, Object> computed = new LinkedHashMap<>(props);
            computed.remove(TEXT);
            SmsSegments s = SmsSegments.of(text);
            computed.put(SEGMENTS, BigInteger.valueOf(s.segments()));
            computed.put("encoding", s.encoding().name().toLowerCase(Locale.ROOT));
            return Expansion.of(new RawEvent(raw.eventId(), raw.customerId(), raw.metric(), raw.timestamp(), computed));
        }
        Object forwardedTo = props.get(FORWARDED_TO);
        boolean inbound = "inbound".equals(props.get(DIRECTION));
        if (forwardedTo instanceof String destination && !destination.isBlank() && inbound && raw.eventId() != null) {
            // a national number is read as dialled from the tracked number's country
            String from = props.get(COUNTRY) instanceof String c ? c : null;
            var country = countries.countryOf(destination, from);
            if (country.isEmpty()) {
                return new Expansion(List.of(), new EventRejection(EventRejection.INVALID_PHONE_NUMBER, "properties." + FORWARDED_TO,
                        "forwarded_to '" + destination + "' is not a valid phone number of a known country; send it in international form, like +4930123456"));
            }
            Map<String, Object> in = new LinkedHashMap<>(props);
            in.remove(FORWARDED_TO);
            Map<String, Object> out = new LinkedHashMap<>(in);
            out.put(DIRECTION, "outbound");
            out.put("destination", destination);
            out.put(COUNTRY, country.get());
            return Expansion.of(new RawEvent(raw.eventId(), raw.customerId(), raw.metric(), raw.timestamp(), in),
                    new RawEvent(forwardLegId(raw.eventId()), raw.customerId(), raw.metric(), raw.timestamp(), out));
        }
        return Expansion.of(raw);
    }
}
