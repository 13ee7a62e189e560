package dev.accrue.adapters.http.web;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/**
 * Amounts, numbers and dates as the viewer reads them: in their locale (grouping, decimal mark, currency
 * symbol placement, month names) and instants in the customer's time zone. Templates call these methods.
 */
public final class Formats {
    private final Locale locale;
    private final ZoneId zone;

    public Formats(Locale locale, ZoneId zone) {
        this.locale = locale;
        this.zone = zone;
    }

    public Locale locale() {
        return locale;
    }

    public String money(Money money) {
        if (money == null) {
            return "";
        }
        NumberFormat f = NumberFormat.getCurrencyInstance(locale);
        f.setCurrency(money.currency());
        int digits = Math.max(money.currency().getDefaultFractionDigits(), 0);
        f.setMinimumFractionDigits(digits);
        f.setMaximumFractionDigits(Math.max(digits, money.amount().stripTrailingZeros().scale()));
        return f.format(money.amount());
    }

    public String number(BigDecimal value) {
        if (value == null) {
            return "";
        }
        NumberFormat f = NumberFormat.getNumberInstance(locale);
        f.setMaximumFractionDigits(2);
        return f.format(value);
    }

    /** A whole-number percentage, 0–100 and beyond (over the allowance). */
    public String percent(BigDecimal value) {
        return value == null ? "" : NumberFormat.getIntegerInstance(locale).format(value.setScale(0, RoundingMode.HALF_UP)) + " %";
    }

    public String date(LocalDate day) {
        return day == null ? "" : DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale).format(day);
    }

    public String dateTime(Instant at) {
        return at == null ? "" : DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale).format(at.atZone(zone));
    }

    /** An instant in the viewer's zone, naming the zone (e.g. "Jun 10, 2026, 5:00 PM (Asia/Tokyo)"): staff across zones read one time. */
    public String dateTimeWithZone(Instant at) {
        return at == null ? "" : dateTime(at) + " (" + zone.getId() + ")";
    }

    public String zone() {
        return zone.getId();
    }
}
