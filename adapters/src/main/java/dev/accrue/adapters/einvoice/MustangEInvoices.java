package dev.accrue.adapters.einvoice;

import dev.accrue.app.document.Document;
import dev.accrue.app.document.EInvoiceWriter;
import org.mustangproject.BankDetails;
import org.mustangproject.CII.CIIToUBL;
import org.mustangproject.Invoice;
import org.mustangproject.Item;
import org.mustangproject.Product;
import org.mustangproject.TradeParty;
import org.mustangproject.ZUGFeRD.Profiles;
import org.mustangproject.ZUGFeRD.ZUGFeRD2PullProvider;
import org.mustangproject.ZUGFeRD.ZUGFeRDExporterFromA3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;

/**
 * EN 16931 e-invoices with the Mustang project: the CII XML (profile EN16931), UBL converted from it, and
 * Factur-X / ZUGFeRD 2 (the CII embedded in the PDF/A-3 of the invoice).
 *
 * <p>Each line is exported with its quantity and its line amount as computed by billing (BT-131), so the
 * e-invoice repeats the printed invoice's rounding instead of recomputing it. What the wallet already paid
 * is the prepaid amount (BT-113). Until invoices carry tax lines with rates, a line without tax is exported
 * as zero rated (category Z) when the seller has a VAT id, else as not subject to VAT (category O).
 */
public final class MustangEInvoices implements EInvoiceWriter {
    private static final String PRODUCER = "Accrue";

    @Override
    public String cii(Document d) {
        ZUGFeRD2PullProvider provider = new ZUGFeRD2PullProvider();
        provider.setProfile(Profiles.getByName("EN16931"));
        provider.generateXML(toMustang(d));
        return new String(provider.getXML(), StandardCharsets.UTF_8);
    }

    @Override
    public String ubl(Document d) {
        try {
            Path dir = Files.createTempDirectory("accrue-ubl");
            Path cii = dir.resolve("cii.xml");
            Path ubl = dir.resolve("ubl.xml");
            try {
                Files.writeString(cii, cii(d));
                new CIIToUBL().convert(cii.toFile(), ubl.toFile());
                return Files.readString(ubl);
            } finally {
                Files.deleteIfExists(cii);
                Files.deleteIfExists(ubl);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] facturX(Document d, byte[] pdfA3) {
        try (ZUGFeRDExporterFromA3 exporter = new ZUGFeRDExporterFromA3()) {
            exporter.setProducer(PRODUCER).setCreator(d.seller().name()).setProfile(Profiles.getByName("EN16931")).setZUGFeRDVersion(2);
            exporter.load(pdfA3);
            exporter.setTransaction(toMustang(d));
            ByteArrayOutputStream out = new ByteArrayOutputStream(pdfA3.length + 32 * 1024);
            exporter.export(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Invoice toMustang(Document d) {
        boolean sellerHasVat = d.seller().vatId() != null;
        Invoice inv = new Invoice()
                .setNumber(d.number())
                .setCurrency(d.currency())
                .setIssueDate(date(d.issueDate()))
                .setDeliveryDate(date(d.periodEnd() != null ? d.periodEnd() : d.issueDate()))
                .setSender(seller(d))
                .setRecipient(buyer(d, sellerHasVat))
                .setPaymentTermDescription(d.paymentTerms())
                .setReferenceNumber(d.id());
        if (d.dueDate() != null) {
            inv.setDueDate(date(d.dueDate()));
        }
        if (d.periodStart() != null) {
            inv.setDetailedDeliveryPeriod(date(d.periodStart()), date(d.periodEnd()));
        }
        BigDecimal prepaid = BigDecimal.ZERO;
        for (Document.Total t : d.totals()) {
            if ("prepaid".equals(t.kind()) || "paid".equals(t.kind())) {
                prepaid = prepaid.add(t.amount().amount().negate());
            }
        }
        if (prepaid.signum() != 0) {
            inv.setTotalPrepaidAmount(prepaid);
        }
        int n = 0;
        for (Document.Line l : d.lines()) {
            Product p = new Product(l.description(), "", "C62", BigDecimal.ZERO);
            if (sellerHasVat) {
                p.setTaxCategoryCode("Z");
            } else {
                p.setTaxCategoryCode("O");
                p.setTaxExemptionReason("Not subject to VAT");
            }
            BigDecimal quantity = l.quantity().signum() == 0 ? BigDecimal.ONE : l.quantity();
            Item item = new Item(p, l.unitPrice().amount(), quantity).setId(Integer.toString(++n)).setLineTotalAmount(l.amount().amount());
            if (l.periodStart() != null) {
                item.setDetailedDeliveryPeriod(date(l.periodStart()), date(l.periodEnd()));
            }
            inv.addItem(item);
        }
        return inv;
    }

    private static TradeParty seller(Document d) {
        Document.Party s = d.seller();
        TradeParty p = new TradeParty(s.name(), nz(s.street()), nz(s.postalCode()), nz(s.city()), nz(s.country()));
        if (s.vatId() != null) {
            p.addVATID(s.vatId());
        }
        if (s.taxId() != null) {
            p.addTaxID(s.taxId());
        }
        if (s.email() != null) {
            p.setEmail(s.email());
        }
        if (d.branding().iban() != null) {
            BankDetails bank = new BankDetails(d.branding().iban());
            if (d.branding().bic() != null) {
                bank.setBIC(d.branding().bic());
            }
            if (d.branding().bankAccountHolder() != null) {
                bank.setAccountName(d.branding().bankAccountHolder());
            }
            p.addBankDetails(bank);
        }
        return p;
    }

    private static TradeParty buyer(Document d, boolean sellerHasVat) {
        Document.Party c = d.customer();
        TradeParty p = new TradeParty(c.name(), nz(c.street()), nz(c.postalCode()), nz(c.city()), c.country() == null ? nz(d.seller().country()) : c.country());
        // a buyer VAT id is not allowed next to category O (not subject to VAT), BR-O-02
        if (c.vatId() != null && sellerHasVat) {
            p.addVATID(c.vatId());
        }
        if (c.email() != null) {
            p.setEmail(c.email());
        }
        return p;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static Date date(LocalDate day) {
        return Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
