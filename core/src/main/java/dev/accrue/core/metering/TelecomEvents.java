package dev.accrue.core.metering;

import dev.accrue.core.catalog.Metric;
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
 *   <li>An inbound call carrying {@code forwarded_to} is two billable legs: the inbound call to the tracked
 *       number ({@code <event_id>:in}) and the outbound call to the destination ({@code <event_id>:out}),
 *       each of the call's duration.</li>
 * </ul>
 */
public final class TelecomEvents {
    public static final String SEGMENTS = "segments";
    public static final String TEXT = "text";
    public static final String FORWARDED_TO = "forwarded_to";
    public static final String DIRECTION = "direction";

    private TelecomEvents() {
    }

    public static List<RawEvent> expand(RawEvent raw, Metric metric) {
        Map<String, Object> props = raw.properties();
        if (props == null) {
            return List.of(raw);
        }
        if ("opt_out_reply".equals(props.get("kind"))) {
            Map<String, Object> sms = new LinkedHashMap<>(props);
            sms.put("kind", "sms");
            sms.put(DIRECTION, "outbound");
            sms.put("auto_reply", true);
            return expand(new RawEvent(raw.eventId(), raw.customerId(), raw.metric(), raw.timestamp(), sms), metric);
        }
        if (SEGMENTS.equals(metric.field()) && !props.containsKey(SEGMENTS) && props.get(TEXT) instanceof String text) {
            Map<String, Object> computed = new LinkedHashMap<>(props);
            computed.remove(TEXT);
            SmsSegments s = SmsSegments.of(text);
            computed.put(SEGMENTS, BigInteger.valueOf(s.segments()));
            computed.put("encoding", s.encoding().name().toLowerCase(Locale.ROOT));
            return List.of(new RawEvent(raw.eventId(), raw.customerId(), raw.metric(), raw.timestamp(), computed));
        }
        Object forwardedTo = props.get(FORWARDED_TO);
        boolean inbound = "inbound".equals(props.get(DIRECTION));
        if (forwardedTo instanceof String destination && !destination.isBlank() && inbound && raw.eventId() != null) {
            Map<String, Object> in = new LinkedHashMap<>(props);
            in.remove(FORWARDED_TO);
            Map<String, Object> out = new LinkedHashMap<>(in);
            out.put(DIRECTION, "outbound");
            out.put("destination", destination);
            return List.of(new RawEvent(raw.eventId() + ":in", raw.customerId(), raw.metric(), raw.timestamp(), in),
                    new RawEvent(raw.eventId() + ":out", raw.customerId(), raw.metric(), raw.timestamp(), out));
        }
        return List.of(raw);
    }
}
