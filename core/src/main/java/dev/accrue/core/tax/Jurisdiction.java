package dev.accrue.core.tax;

import dev.accrue.core.error.AccrueException;

import java.util.Locale;

/**
 * Where a tax applies: an ISO 3166-1 alpha-2 {@code country} and, where it matters (US states, Canadian
 * provinces), a {@code region} code; null region means the whole country.
 */
public record Jurisdiction(String country, String region) {

    public Jurisdiction {
        if (country == null || !country.matches("[A-Za-z]{2}")) {
            throw AccrueException.invalid("country", "A tax jurisdiction's country is an ISO 3166-1 alpha-2 code, got '" + country + "'");
        }
        country = country.toUpperCase(Locale.ROOT);
        region = region == null || region.isBlank() ? null : region.trim().toUpperCase(Locale.ROOT);
    }

    public static Jurisdiction country(String country) {
        return new Jurisdiction(country, null);
    }

    /** The country as a whole, for a rate not set for this region. */
    public Jurisdiction wholeCountry() {
        return region == null ? this : new Jurisdiction(country, null);
    }

    @Override
    public String toString() {
        return region == null ? country : country + "-" + region;
    }
}
