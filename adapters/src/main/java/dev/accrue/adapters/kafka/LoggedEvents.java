package dev.accrue.adapters.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.accrue.app.metering.UsageFold;
import dev.accrue.core.metering.MeteredEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The value of one intake record: a tenant and the validated legs of one client event (a forwarded call's two legs
 * travel together, so a fold never sees one without the other). Numbers stay exact (BigDecimal both ways).
 */
final class LoggedEvents {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private LoggedEvents() {
    }

    record Record(String tenant, List<Leg> legs) {
    }

    record Leg(String id, String customer, String subscription, String metric, String occurredAt, String day, BigDecimal quantity,
               String dimensions, boolean counted, Map<String, Object> properties, boolean late, String unique, boolean keepValue, String unitOp) {
    }

    static byte[] write(String tenantId, List<MeteredEvent> legs) {
        try {
            return JSON.writeValueAsBytes(new Record(tenantId, legs.stream().map(e -> new Leg(e.eventId(), e.customerId(), e.subscriptionId(),
                    e.metric(), e.occurredAt().toString(), e.day().toString(), e.quantity(), e.dimensionKey(), e.counted(), e.properties(), e.late(),
                    e.uniqueValue(), e.keepValue(), e.unitOp())).toList()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static UsageFold.Logged read(byte[] value) {
        try {
            Record r = JSON.readValue(value, Record.class);
            return new UsageFold.Logged(r.tenant(), r.legs().stream().map(l -> new MeteredEvent(l.id(), l.customer(), l.subscription(), l.metric(),
                    Instant.parse(l.occurredAt()), LocalDate.parse(l.day()), l.quantity(), l.dimensions(), l.counted(),
                    l.properties() == null ? Map.of() : l.properties(), l.late(), l.unique(), l.keepValue(), l.unitOp())).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
