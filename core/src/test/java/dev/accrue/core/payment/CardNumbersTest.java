package dev.accrue.core.payment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CardNumbersTest {

    @ParameterizedTest
    @ValueSource(strings = {"4242424242424242", "4242 4242 4242 4242", "4000-0000-0000-0002", "paid with 5555555555554444 yesterday",
            "378282246310005", "6011111111111117",
            // after other digits and separators, or right before more text: the one-pass pre-check must not hide them
            "order 12-4242424242424242", "a4242424242424242b", "-4242 4242-4242 4242-", "2026-12-01 4000-0000-0000-0002",
            // the groupings cards are written in: Amex 4-6-5, Diners 4-6-4, a 19-digit number 4-4-4-4-3
            "3782 822463 10005", "3622 720627 1667", "6011-1111-1111-1111-003"})
    void cardNumbersAreFoundWhereverTheyAre(String text) {
        assertThat(CardNumbers.containsCardNumber(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"4242424242424241", "+14155550100", "cus_01JD42424242ABCDEF4242", "12345678901234567890123", "1111111111111117",
            "42424242", "2026-06-01T00:00:00Z",
            // Luhn-valid digit runs that no network issues: a 14-digit nanosecond count, a 16-digit number with no issuer prefix,
            // a Visa prefix at 15 digits, an Amex prefix at 16
            "cn-23100000000001@client.example", "evt-5000000000000009", "400000000000006", "3400000000000000",
            // a UUID whose first three groups (8-4-4) and whose last two (4-12) are each a valid Visa number once
            // joined: no card is written in groups of 8 or 12
            "42424242-4242-4242-4242-424242424242", "evt-42424242-4242-4242-4242-424242424242",
            // groups of 4 cut out of a UUID's longer hex groups: glued to its letters
            "abcd4242-4242-4242-4242-4242abcdef01", "0123abcd-4242-4242-4242-4242abcdef01"})
    void otherDigitsAreNotCards(String text) {
        assertThat(CardNumbers.containsCardNumber(text)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"4242424242424242,visa", "5555555555554444,mastercard", "2223003122003222,mastercard", "378282246310005,amex",
            "6011111111111117,discover", "3566002020360505,jcb", "36227206271667,diners", "6200000000000005,unionpay"})
    void brandsByIssuerPrefix(String number, String brand) {
        assertThat(CardNumbers.brand(number)).isEqualTo(brand);
    }

    /**
     * Clients send UUIDs as event ids. Read across its dashes, about one random UUID in 40,000 held a 16-digit
     * run that passes Luhn with an issuer's prefix, and its whole batch of events was refused as a card number.
     */
    @Test
    void randomUuidsAreNeverCards() {
        Random random = new Random(18);
        int refused = 0;
        for (int i = 0; i < 1_000_000; i++) {
            if (CardNumbers.containsCardNumber(new UUID(random.nextLong(), random.nextLong()).toString())) {
                refused++;
            }
        }
        assertThat(refused).isZero();
    }
}
