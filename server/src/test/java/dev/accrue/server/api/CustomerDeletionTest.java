package dev.accrue.server.api;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A customer with billing history cannot be deleted (nor change currency). Billing history is any row of a
 * table with a foreign key to customers; this test declares such a table itself so the rule is checked
 * independently of which billing features exist.
 */
class CustomerDeletionTest {
    private static final String TABLE = "billing_history_probe";

    @BeforeEach
    void createBillingTable() {
        TestNode.get().accrue().database().jdbi().useHandle(h -> h.execute("""
                CREATE TABLE IF NOT EXISTS %s (tenant_id text NOT NULL, customer_id text NOT NULL,
                  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id))""".formatted(TABLE)));
    }

    @AfterEach
    void dropBillingTable() {
        TestNode.get().accrue().database().jdbi().useHandle(h -> h.execute("DROP TABLE " + TABLE));
    }

    @Test
    void aCustomerWithBillingHistoryIsNeitherDeletedNorMovedToAnotherCurrency() {
        var tenant = TestNode.get().newTenant("deletion");
        Api api = tenant.api();
        String billed = api.post("/v1/customers", Fixtures.customer("Billed")).text("id");
        String fresh = api.post("/v1/customers", Fixtures.customer("Fresh")).text("id");
        TestNode.get().accrue().database().jdbi().useHandle(h -> h.createUpdate("INSERT INTO " + TABLE + " VALUES (:t, :c)")
                .bind("t", tenant.id()).bind("c", billed).execute());

        var refused = api.delete("/v1/customers/" + billed);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("customer_has_billing_history");
        assertThat(api.get("/v1/customers/" + billed).status()).isEqualTo(200);

        var currency = api.patch("/v1/customers/" + billed, Map.of("currency", "EUR"));
        assertThat(currency.code()).isEqualTo("customer_has_billing_history");
        assertThat(api.get("/v1/customers/" + billed).text("currency")).isEqualTo("USD");

        assertThat(api.patch("/v1/customers/" + fresh, Map.of("currency", "EUR")).text("currency")).isEqualTo("EUR");
        assertThat(api.delete("/v1/customers/" + fresh).status()).isEqualTo(200);
    }
}
