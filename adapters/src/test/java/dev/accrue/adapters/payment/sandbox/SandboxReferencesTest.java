package dev.accrue.adapters.payment.sandbox;

import dev.accrue.core.payment.CardNumbers;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reference the sandbox issues is sent back to Accrue (a token added as a payment method) and must never be
 * refused as a card number. With hex references about 17 in 200,000 were (CI failed on one); the draw is large
 * enough that the old generator would fail this test almost every time.
 */
class SandboxReferencesTest {
    @Test
    void noReferenceIsTakenForACardNumberAndNoneRepeats() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            String reference = SandboxReferences.next("tok_", 24);
            assertThat(CardNumbers.containsCardNumber(reference)).as(reference).isFalse();
            assertThat(reference).matches("tok_[0-9A-Za-z]{24}");
            assertThat(seen.add(reference)).as("repeated " + reference).isTrue();
        }
    }
}
