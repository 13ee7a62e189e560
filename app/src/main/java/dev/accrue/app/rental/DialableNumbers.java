package dev.accrue.app.rental;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.accrue.core.error.AccrueException;

import java.util.Locale;

/**
 * Phone numbers checked and normalised with Google's libphonenumber (its numbering-plan metadata, not a regex):
 * a number in international or national form ("(415) 555-0100" with country US) becomes E.164
 * ("+14155550100"), must be a valid number, and must belong to the country given — a French number rented as a
 * US one would be billed at the wrong rate and registered with the wrong regulator.
 */
public final class DialableNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private DialableNumbers() {
    }

    /** The number in E.164, or a {@code validation_failed} naming {@code number} or {@code country}. */
    public static String normalise(String number, String country) {
        if (country == null || !UTIL.getSupportedRegions().contains(country)) {
            throw AccrueException.invalid("country", "country must be an ISO 3166 alpha-2 code with a numbering plan, like FR; got '" + country + "'");
        }
        if (number == null || number.isBlank()) {
            throw AccrueException.invalid("number", "number is required, in E.164 form like +33123456789");
        }
        Phonenumber.PhoneNumber parsed;
        try {
            parsed = UTIL.parse(number, country);
        } catch (NumberParseException e) {
            throw AccrueException.invalid("number", "'" + number + "' is not a phone number: " + e.getMessage());
        }
        String e164 = UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
        if (!UTIL.isValidNumber(parsed)) {
            throw AccrueException.invalid("number", e164 + " is not a valid phone number in any numbering plan");
        }
        if (!UTIL.isValidNumberForRegion(parsed, country)) {
            String region = UTIL.getRegionCodeForNumber(parsed);
            throw AccrueException.invalid("country", e164 + " is a number of " + region + ", not of " + country.toUpperCase(Locale.ROOT));
        }
        return e164;
    }
}
