package dev.accrue.app.telecom;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.accrue.core.telecom.NumberCountries;

import java.util.Optional;

/**
 * Countries of phone numbers from Google's libphonenumber, whose metadata (numbering plans of every country)
 * ships with the library and is loaded once from the classpath. A number counts only when libphonenumber
 * finds it valid and places it in one country: a merely possible number would rate a typo at some country's
 * price, and a number of a non-geographic range ({@code +800}, region {@code 001}) has no country to rate by.
 */
public final class PhoneNumberCountries implements NumberCountries {
    private static final String NON_GEOGRAPHIC = "001";
    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();

    @Override
    public Optional<String> countryOf(String number, String dialledFrom) {
        if (number == null || number.isBlank()) {
            return Optional.empty();
        }
        // a national number needs the country it is dialled from; "ZZ" tells libphonenumber there is none
        String from = dialledFrom != null && dialledFrom.matches("[A-Z]{2}") ? dialledFrom : "ZZ";
        Phonenumber.PhoneNumber parsed;
        try {
            parsed = util.parse(number, from);
        } catch (NumberParseException e) {
            return Optional.empty();
        }
        if (!util.isValidNumber(parsed)) {
            return Optional.empty();
        }
        String region = util.getRegionCodeForNumber(parsed);
        return region == null || region.equals(NON_GEOGRAPHIC) || region.equals("ZZ") ? Optional.empty() : Optional.of(region);
    }
}
