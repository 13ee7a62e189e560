package dev.accrue.server.log;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.util.Map;

/**
 * {@code %requestFields} in the text log pattern: " [request id] tenant=…", each part only when the line has it (a
 * line outside any request has neither). What {@code %replace( [%X{request_id}]){' \[\]', ''}} and its tenant twin
 * wrote, without two regular expressions run over every line.
 */
public final class RequestFieldsConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc == null) {
            return "";
        }
        String requestId = mdc.get("request_id");
        String tenant = mdc.get("tenant_id");
        boolean hasId = requestId != null && !requestId.isEmpty();
        boolean hasTenant = tenant != null && !tenant.isEmpty();
        if (!hasId && !hasTenant) {
            return "";
        }
        // sized exactly: a request id and a tenant id overflowed a fixed 64 and copied the builder once per line
        StringBuilder out = new StringBuilder((hasId ? requestId.length() + 3 : 0) + (hasTenant ? tenant.length() + 8 : 0));
        if (hasId) {
            out.append(" [").append(requestId).append(']');
        }
        if (hasTenant) {
            out.append(" tenant=").append(tenant);
        }
        return out.toString();
    }
}
