package dev.accrue.server.rental;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rented numbers are checked and normalised by libphonenumber, and belong to the country they are rented in. */
class PhoneNumberFormatTest {
    @Test
    void aNumberIsNormalisedToE164AndMustBelongToItsCountry() {
        Sandbox s = new Sandbox("number format", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        String sub = s.subscribe(Map.of("customer_id", s.customer("Formats", "USD", "UTC"), "plan", "pro")).get("id").asText();
        String path = "/v1/subscriptions/" + sub + "/numbers";

        var national = s.api.post(path, Map.of("number", "(415) 555-0100", "country", "US", "type", "local"));
        assertThat(national.status()).as(national.toString()).isEqualTo(201);
        assertThat(national.json().at("/number/number").asText()).isEqualTo("+14155550100");
        // the same number written another way is the same number
        assertThat(s.api.post(path, Map.of("number", "+1 415-555-0100", "country", "US", "type", "local")).code()).isEqualTo("already_exists");

        var french = s.api.post(path, Map.of("number", "+33123456789", "country", "US", "type", "local"));
        assertThat(french.code()).isEqualTo("validation_failed");
        assertThat(french.text("field")).isEqualTo("country");
        assertThat(french.text("detail")).contains("FR");
        var canadian = s.api.post(path, Map.of("number", "+16135550123", "country", "US", "type", "local"));
        assertThat(canadian.text("field")).isEqualTo("country");
        var tooShort = s.api.post(path, Map.of("number", "+1415555", "country", "US", "type", "local"));
        assertThat(tooShort.code()).isEqualTo("validation_failed");
        assertThat(tooShort.text("field")).isEqualTo("number");
        assertThat(s.api.post(path, Map.of("number", "+14155550101", "country", "XX", "type", "local")).text("field")).isEqualTo("country");
        assertThat(s.api.get(path).json().get("data")).hasSize(1);
        // a Canadian number rented as Canadian is fine
        assertThat(s.api.post(path, Map.of("number", "+16135550123", "country", "CA", "type", "local")).status()).isEqualTo(201);
    }
}
