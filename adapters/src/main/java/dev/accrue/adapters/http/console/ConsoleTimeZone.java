package dev.accrue.adapters.http.console;

import io.javalin.http.Context;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The staff member's time zone, which the console shows every time in (with the zone's name): their browser's,
 * as {@code /assets/accrue.js} reads it from {@code Intl.DateTimeFormat} and keeps it in the cookie
 * {@value #COOKIE} on every console page, the sign-in form included. Staff have no zone setting of their own and
 * tenants have no zone, so without the cookie (no JavaScript) or with one that names no zone, times are UTC.
 * The cookie only chooses a display zone: nothing is stored or computed from it.
 */
final class ConsoleTimeZone {
    static final String COOKIE = "accrue_console_tz";
    private static final ZoneId UTC = ZoneId.of("UTC");

    private ConsoleTimeZone() {
    }

    static ZoneId of(Context ctx) {
        String raw = ctx.cookie(COOKIE);
        if (raw == null || raw.isEmpty() || raw.length() > 100) {
            return UTC;
        }
        try {
            String name = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            return name.matches("[A-Za-z0-9_+/-]{1,64}") ? ZoneId.of(name) : UTC;
        } catch (DateTimeException | IllegalArgumentException e) {
            return UTC;
        }
    }
}
