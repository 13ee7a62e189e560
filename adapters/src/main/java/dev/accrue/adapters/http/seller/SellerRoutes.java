package dev.accrue.adapters.http.seller;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.seller.SellerService;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.seller.SellerIdentity;
import io.javalin.config.RoutesConfig;

import java.util.Base64;

/** /v1/seller: the tenant's legal identity on its documents, read and replaced whole. */
public final class SellerRoutes {
    private final SellerService sellers;

    public SellerRoutes(SellerService sellers) {
        this.sellers = sellers;
    }

    /** The wire form; the logo travels as base64. */
    record SellerBody(String legalName, String addressLine1, String addressLine2, String city, String region, String postalCode, String country,
                      String vatId, String taxId, String registrationNumber, String email, String phone, String website, String logo, String brandColor,
                      String invoiceFooter, String bankAccountHolder, String bankName, String iban, String bic, Integer paymentTermsDays,
                      Boolean emailInvoices) {
        SellerIdentity toIdentity() {
            byte[] logoBytes = null;
            if (logo != null && !logo.isBlank()) {
                try {
                    logoBytes = Base64.getMimeDecoder().decode(logo.replaceFirst("^data:image/[a-z]+;base64,", ""));
                } catch (IllegalArgumentException e) {
                    throw AccrueException.invalid("logo", "logo must be base64 of a PNG or JPEG image");
                }
            }
            return new SellerIdentity(legalName, addressLine1, addressLine2, city, region, postalCode, country, vatId, taxId, registrationNumber, email,
                    phone, website, logoBytes, brandColor, invoiceFooter, bankAccountHolder, bankName, iban, bic,
                    paymentTermsDays == null ? 0 : paymentTermsDays, emailInvoices != null && emailInvoices);
        }

        static SellerBody of(SellerIdentity s) {
            return new SellerBody(s.legalName(), s.addressLine1(), s.addressLine2(), s.city(), s.region(), s.postalCode(), s.country(), s.vatId(),
                    s.taxId(), s.registrationNumber(), s.email(), s.phone(), s.website(),
                    s.logoPng() == null ? null : Base64.getEncoder().encodeToString(s.logoPng()), s.brandColor(), s.invoiceFooter(),
                    s.bankAccountHolder(), s.bankName(), s.iban(), s.bic(), s.paymentTermsDays(), s.emailInvoices());
        }
    }

    public void register(RoutesConfig app) {
        app.get("/v1/seller", ctx -> Responses.json(ctx, 200, SellerBody.of(sellers.get(Requests.caller(ctx)))));
        app.put("/v1/seller", ctx -> {
            SellerBody body = Requests.body(ctx, SellerBody.class);
            Responses.json(ctx, 200, SellerBody.of(sellers.replace(Requests.caller(ctx), body.toIdentity())));
        });
    }
}
