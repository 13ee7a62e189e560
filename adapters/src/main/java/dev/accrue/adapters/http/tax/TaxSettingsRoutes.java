package dev.accrue.adapters.http.tax;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.tax.TaxService;
import dev.accrue.core.tax.Jurisdiction;
import dev.accrue.core.tax.PriceMode;
import dev.accrue.core.tax.TaxCategory;
import dev.accrue.core.tax.TaxRate;
import dev.accrue.core.tax.TaxSettings;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;
import java.util.List;

/** /v1/tenant/tax: the tenant's tax configuration, replaced as a whole. */
public final class TaxSettingsRoutes {
    private final TaxService taxes;

    public TaxSettingsRoutes(TaxService taxes) {
        this.taxes = taxes;
    }

    record RateBody(String country, String region, String category, String type, BigDecimal rate) {
        TaxRate toRate() {
            return new TaxRate(new Jurisdiction(country, region), TaxCategory.parse(category), type, rate);
        }

        static RateBody of(TaxRate r) {
            return new RateBody(r.jurisdiction().country(), r.jurisdiction().region(), r.category().wire(), r.type(), r.rate());
        }
    }

    record SettingsBody(String sellerCountry, String prices, List<RateBody> rates) {
    }

    /** {@code rates} are the tenant's own rows; {@code effective_rates} the whole table in force (shipped defaults with them). */
    record SettingsView(String object, String sellerCountry, String prices, List<RateView> rates, List<RateView> effectiveRates) {
        static SettingsView of(TaxSettings s) {
            return new SettingsView("tax_settings", s.sellerCountry(), s.prices().wire(), s.rateEdits().stream().map(RateView::of).toList(),
                    s.rates().rows().stream().map(RateView::of).toList());
        }
    }

    record RateView(String country, String region, String category, String type, String rate) {
        static RateView of(TaxRate r) {
            return new RateView(r.jurisdiction().country(), r.jurisdiction().region(), r.category().wire(), r.type(), r.rate().toPlainString());
        }
    }

    public void register(RoutesConfig app) {
        app.get("/v1/tenant/tax", ctx -> Responses.json(ctx, 200, SettingsView.of(taxes.get(Requests.caller(ctx)))));
        app.put("/v1/tenant/tax", ctx -> {
            SettingsBody body = Requests.body(ctx, SettingsBody.class);
            var settings = new TaxSettings(body.sellerCountry(), PriceMode.parse(body.prices()),
                    body.rates() == null ? List.of() : body.rates().stream().map(RateBody::toRate).toList());
            Responses.json(ctx, 200, SettingsView.of(taxes.replace(Requests.caller(ctx), settings)));
        });
    }
}
