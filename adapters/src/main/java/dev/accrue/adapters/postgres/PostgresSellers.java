package dev.accrue.adapters.postgres;

import dev.accrue.app.seller.SellerRepository;
import dev.accrue.core.seller.SellerIdentity;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Optional;

public final class PostgresSellers implements SellerRepository {
    private static final RowMapper<SellerIdentity> SELLER = (rs, ctx) -> new SellerIdentity(rs.getString("legal_name"), rs.getString("address_line1"),
            rs.getString("address_line2"), rs.getString("city"), rs.getString("region"), rs.getString("postal_code"), rs.getString("country"),
            rs.getString("vat_id"), rs.getString("tax_id"), rs.getString("registration_number"), rs.getString("email"), rs.getString("phone"),
            rs.getString("website"), rs.getBytes("logo"), rs.getString("brand_color"), rs.getString("invoice_footer"), rs.getString("bank_account_holder"),
            rs.getString("bank_name"), rs.getString("iban"), rs.getString("bic"), rs.getInt("payment_terms_days"), rs.getBoolean("email_invoices"));
    private final JdbiTransactions tx;

    public PostgresSellers(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<SellerIdentity> find(String tenantId) {
        return tx.handle().createQuery("SELECT * FROM seller_identities WHERE tenant_id = :tenant").bind("tenant", tenantId).map(SELLER).findOne();
    }

    @Override
    public void save(String tenantId, SellerIdentity s, Instant at) {
        tx.handle().createUpdate("""
                        INSERT INTO seller_identities (tenant_id, legal_name, address_line1, address_line2, city, region, postal_code, country, vat_id, tax_id,
                            registration_number, email, phone, website, logo, brand_color, invoice_footer, bank_account_holder, bank_name, iban, bic,
                            payment_terms_days, email_invoices, updated_at)
                        VALUES (:tenant, :legalName, :addressLine1, :addressLine2, :city, :region, :postalCode, :country, :vatId, :taxId,
                            :registrationNumber, :email, :phone, :website, :logo, :brandColor, :invoiceFooter, :bankAccountHolder, :bankName, :iban, :bic,
                            :paymentTermsDays, :emailInvoices, :at)
                        ON CONFLICT (tenant_id) DO UPDATE SET legal_name = excluded.legal_name, address_line1 = excluded.address_line1,
                            address_line2 = excluded.address_line2, city = excluded.city, region = excluded.region, postal_code = excluded.postal_code,
                            country = excluded.country, vat_id = excluded.vat_id, tax_id = excluded.tax_id, registration_number = excluded.registration_number,
                            email = excluded.email, phone = excluded.phone, website = excluded.website, logo = excluded.logo,
                            brand_color = excluded.brand_color, invoice_footer = excluded.invoice_footer, bank_account_holder = excluded.bank_account_holder,
                            bank_name = excluded.bank_name, iban = excluded.iban, bic = excluded.bic, payment_terms_days = excluded.payment_terms_days,
                            email_invoices = excluded.email_invoices, updated_at = excluded.updated_at""")
                .bind("tenant", tenantId).bindMethods(s).bind("logo", s.logoPng()).bind("at", Rows.utc(at)).execute();
    }
}
