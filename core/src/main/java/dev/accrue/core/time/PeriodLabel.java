package dev.accrue.core.time;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How a period reads on an invoice line, in one place: a whole calendar month is "June 2027", a whole
 * calendar year "2027", any other span "15 Jun 2027 – 14 Jul 2027" (the end shown inclusive, as a customer
 * reads it). A prorated part says which share of the period it is: "(16/30 days)".
 */
public final class PeriodLabel {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    private PeriodLabel() {
    }

    public static String of(Period p) {
        LocalDate last = p.end().minusDays(1);
        if (p.start().getDayOfMonth() == 1 && p.end().equals(p.start().plusMonths(1))) {
            return MONTH.format(p.start());
        }
        if (p.start().getDayOfYear() == 1 && p.end().equals(p.start().plusYears(1))) {
            return String.valueOf(p.start().getYear());
        }
        return DAY.format(p.start()) + " – " + DAY.format(last);
    }

    /** " — June 2027" for a whole period, " (16/30 days)" for a prorated share of it. */
    public static String suffix(Fraction share, Period period) {
        boolean whole = share.numerator() == share.denominator();
        return whole ? " — " + of(period) : " (" + share.numerator() + "/" + share.denominator() + " days)";
    }
}
