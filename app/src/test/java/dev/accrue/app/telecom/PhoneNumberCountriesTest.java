package dev.accrue.app.telecom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PhoneNumberCountriesTest {
    private final PhoneNumberCountries countries = new PhoneNumberCountries();

    @ParameterizedTest(name = "{0} dialled from {1} is in {2}")
    @CsvSource(nullValues = "-", value = {
            "+33612345678, US, FR",        // international form: the dialling country does not matter
            "+49 30 1234567, -, DE",
            "+1 416 555 0123, FR, CA",      // +1 is several countries: the area code decides
            "+12025550123, -, US",
            "+44 20 7946 0018, -, GB",
            "06 12 34 56 78, FR, FR",       // national form, read as dialled from the tracked number's country
            "030 1234567, DE, DE",
    })
    void aValidNumberBelongsToItsCountry(String number, String from, String country) {
        assertThat(countries.countryOf(number, from)).contains(country);
    }

    @ParameterizedTest(name = "{0} dialled from {1} has no country")
    @CsvSource(nullValues = "-", value = {
            "0612345678, -",                // national form with no country to read it from
            "+999, -",                      // no such country code
            "+3361234, -",                  // too short for France
            "not a number, FR",
            "+80012345678, -",              // international freephone: a number of no country
            "'', FR",
    })
    void anythingElseHasNone(String number, String from) {
        assertThat(countries.countryOf(number, from)).isEmpty();
    }
}
