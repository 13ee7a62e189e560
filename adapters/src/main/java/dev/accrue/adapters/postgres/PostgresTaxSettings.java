package dev.accrue.adapters.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.accrue.adapters.json.Json;
import dev.accrue.app.tax.TaxSettingsRepository;
import dev.accrue.core.tax.Jurisdiction;
import dev.accrue.core.tax.PriceMode;
import dev.accrue.core.tax.TaxCategory;
import dev.accrue.core.tax.TaxRate;
import dev.accrue.core.tax.TaxSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

/** One row per tenant that configured taxes; the rate edits as a JSON list in their wire form. */
public final class PostgresTaxSettings implements TaxSettingsRepository {
    private final JdbiTransactions tx;

    /** A stored rate row: the same fields as on the wire. */
    record RateRow(String country, String region, String category, String type, BigDecimal rate) {
        static RateRow of(TaxRate r) {
            return new RateRow(r.jurisdiction().country(), r.jurisdiction().region(), r.category().wire(), r.type(), r.rate());
        }

        TaxRate toRate() {
            return new TaxRate(new Jurisdiction(country, region), TaxCategory.parse(category), type, rate);
        }
    }

    public PostgresTaxSettings(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public TaxSettings find(String tenantId) {
        return tx.memo(new SettingsKey(tenantId), k -> read(k.tenantId()));
    }

    /** Read once per transaction (every invoice of a billing batch is taxed with them); forgotten when saved. */
    private record SettingsKey(String tenantId) {
    }

    private TaxSettings read(String tenantId) {
        return tx.handle().createQuery("SELECT seller_country, prices, rate_edits FROM tenant_tax_settings WHERE tenant_id = :tenant")
                .bind("tenant", tenantId)
                .map((rs, ctx) -> new TaxSettings(rs.getString("seller_country"), PriceMode.parse(rs.getString("prices")),
                        readRates(rs.getString("rate_edits")).stream().map(RateRow::toRate).toList()))
                .findOne().orElse(TaxSettings.NONE);
    }

    @Override
    public void save(String tenantId, TaxSettings s) {
        tx.forget(new SettingsKey(tenantId));
        tx.handle().createUpdate("""
                        INSERT INTO tenant_tax_settings (tenant_id, seller_country, prices, rate_edits, updated_at)
                        VALUES (:tenant, :seller, :prices, CAST(:rates AS jsonb), now())
                        ON CONFLICT (tenant_id) DO UPDATE SET seller_country = excluded.seller_country, prices = excluded.prices,
                          rate_edits = excluded.rate_edits, updated_at = excluded.updated_at""")
                .bind("tenant", tenantId).bind("seller", s.sellerCountry()).bind("prices", s.prices().wire())
                .bind("rates", Json.write(s.rateEdits().stream().map(RateRow::of).toList())).execute();
    }

    private static List<RateRow> readRates(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<List<RateRow>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
