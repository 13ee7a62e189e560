package dev.accrue.app.seller;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.seller.SellerIdentity;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The tenant's seller identity. Replaced whole (a PUT), validated by {@link SellerIdentity}, and audited with
 * before and after (the logo as its size, not its bytes). Until one is set, documents carry the tenant's name.
 */
public final class SellerService {
    private final Transactions tx;
    private final SellerRepository sellers;
    private final TenantRepository tenants;
    private final AuditLog audit;
    private final Clock clock;

    public SellerService(Transactions tx, SellerRepository sellers, TenantRepository tenants, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.sellers = sellers;
        this.tenants = tenants;
        this.audit = audit;
        this.clock = clock;
    }

    public SellerIdentity get(Caller caller) {
        return tx.inTransaction(() -> of(caller.tenantId()));
    }

    /** The identity documents print, inside the caller's transaction. */
    public SellerIdentity of(String tenantId) {
        return sellers.find(tenantId).orElseGet(() -> SellerIdentity.empty(tenants.find(tenantId).orElseThrow().name()));
    }

    public SellerIdentity replace(Caller caller, SellerIdentity identity) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            SellerIdentity before = sellers.find(caller.tenantId()).orElse(null);
            sellers.save(caller.tenantId(), identity, clock.instant());
            audit.record(caller, "tenant", caller.tenantId(), "seller.updated", before == null ? null : auditView(before), auditView(identity));
            return identity;
        });
    }

    private static Map<String, Object> auditView(SellerIdentity s) {
        Map<String, Object> m = new HashMap<>();
        m.put("legal_name", s.legalName());
        m.put("address", String.join(", ", s.addressLines()));
        m.put("vat_id", s.vatId());
        m.put("tax_id", s.taxId());
        m.put("registration_number", s.registrationNumber());
        m.put("email", s.email());
        m.put("iban", s.iban());
        m.put("bic", s.bic());
        m.put("brand_color", s.brandColor());
        m.put("logo_bytes", s.logoPng() == null ? 0 : s.logoPng().length);
        m.put("invoice_footer", s.invoiceFooter());
        m.put("payment_terms_days", s.paymentTermsDays());
        m.put("email_invoices", s.emailInvoices());
        return m;
    }
}
