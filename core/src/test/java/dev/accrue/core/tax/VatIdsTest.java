package dev.accrue.core.tax;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VatIdsTest {

    @ParameterizedTest
    @CsvSource({
            "DE123456789, true", "DE12345678, false", "FRXX123456789, true", "FR12345678901, true", "FRIO123456789, false",
            "ATU12345678, true", "AT12345678, false", "NL123456789B01, true", "NL123456789, false", "EL123456789, true",
            "GR123456789, false", "ESX1234567Z, true", "IE1234567WA, true", "SE123456789001, true", "SE123456789012, false",
            "BE0123456789, true", "BE2123456789, false", "CY12345678L, true", "US123456789, false"})
    void formatsPerMemberState(String id, boolean ok) {
        assertThat(VatIds.wellFormed(id)).isEqualTo(ok);
    }

    @Test
    void normalizesWhatPeopleType() {
        assertThat(VatIds.check("de 123.456-789", "DE")).isEqualTo("DE123456789");
        assertThat(VatIds.check("EL123456789", "GR")).isEqualTo("EL123456789");
        // outside the EU another country's id is taken as given
        assertThat(VatIds.check("12-3456789", "US")).isEqualTo("12-3456789");
        assertThat(VatIds.check(null, "FR")).isNull();
    }

    @Test
    void refusesMalformedOrForeignIdsForAnEuCustomer() {
        for (String[] c : new String[][]{{"DE12345", "DE"}, {"FR123456789", "DE"}, {"GR123456789", "GR"}, {"DE1234567890", "US"}}) {
            assertThatThrownBy(() -> VatIds.check(c[0], c[1])).as(c[0] + " in " + c[1])
                    .isInstanceOfSatisfying(AccrueException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TAX_ID);
                        assertThat(e.field()).isEqualTo("tax_id");
                    });
        }
    }
}
