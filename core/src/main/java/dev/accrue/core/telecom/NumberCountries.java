package dev.accrue.core.telecom;

import java.util.Optional;

/**
 * Which country a phone number belongs to: what an outbound rate table prices a forwarded call by. Numbering
 * plans are data that change every month, so core does not hold them; the application passes a resolver in.
 */
@FunctionalInterface
public interface NumberCountries {

    /**
     * The ISO 3166 alpha-2 country of {@code number} when it is a valid number of one country: in international
     * form ({@code +49 30 1234567}), or national form as dialled from {@code dialledFrom} (an alpha-2 code, may
     * be null). Empty for anything else — unparseable, not a valid number, or a number of no country (the
     * international freephone {@code +800} range).
     */
    Optional<String> countryOf(String number, String dialledFrom);
}
