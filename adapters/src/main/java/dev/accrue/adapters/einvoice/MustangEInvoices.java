package dev.accrue.adapters.einvoice;

import dev.accrue.app.document.Document;
import dev.accrue.app.document.DocumentKind;
import dev.accrue.app.document.EInvoiceWriter;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.tax.VatCategory;
import org.mustangproject.Allowance;
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
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * EN 16931 e-invoices with the Mustang project: the CII XML (profile EN16931), UBL converted from it, and
 * Factur-X / ZUGFeRD 2 (the CII embedded in the PDF/A-3 of the invoice).
 *
 * <p>Each line is exported with its quantity and its line amount as computed by billing (BT-131), so the
 * e-invoice repeats the printed invoice's rounding instead of recomputing it. What the wallet already paid
 * is the prepaid amount (BT-113).
 *
 * <p>Each line carries the VAT category billing decided for it (see {@code VatCategory}): its tax line gives the rate
 * and, for a 0 % line, the legal mention as exemption reason (BT-120) with the VATEX code where the category implies one
 * (AE reverse charge, G export, O outside scope, K intra-community). Tax-inclusive lines are exported at their net
 * amounts: each line's gross over (1 + rate), rounded, with the rate's cent left over on its largest line, so the
 * lines of a rate add up to exactly its net. Mustang builds the VAT breakdown's taxable amounts from the lines; each
 * rate's tax is the document's own ({@link StatedTaxCalculator}: EN 16931 accepts a tax within a unit of taxable × rate),
 * so every tax-inclusive document is an e-invoice whose payable amount is the gross the customer was shown.
 * A line no tax decision was recorded for (a tenant that collects no tax, customer credit) is zero rated (Z) when
 * the seller has a VAT id, else not subject to VAT (O).
 *
 * <p>A credit note is the same document with type code 381 (UBL: a {@code CreditNote}) and the invoice it corrects
 * as preceding invoice reference (BT-25, with its date BT-26); its lines and taxes are the invoice's, in the invoice's
 * price mode.
 */
public final class MustangEInvoices implements EInvoiceWriter {
    private static final String PRODUCER = "Accrue";
    /** UNTDID 5189 allowance reason code 95: discount. */
    private static final String DISCOUNT_REASON = "95";

    @Override
    public String cii(Document d) {
        return new String(ciiBytes(d), StandardCharsets.UTF_8);
    }

    /** The CII of the document, its VAT breakdown stating the document's own tax per rate ({@link StatedTaxCalculator}). */
    private static byte[] ciiBytes(Document d) {
        Invoice inv = toMustang(d);
        ZUGFeRD2PullProvider provider = StatedTaxCalculator.provider(d, inv);
        provider.setProfile(Profiles.getByName("EN16931"));
        provider.generateXML(inv);
        return provider.getXML();
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
                String xml = Files.readString(ubl);
                return d.kind() == DocumentKind.CREDIT_NOTE ? UblCreditNotes.invoiceReference(xml) : xml;
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
            exporter.setXML(ciiBytes(d));
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
        if (d.kind() == DocumentKind.CREDIT_NOTE) {
            // document type 381; the invoice it corrects as the preceding invoice reference (BT-25, BT-26)
            inv.setCreditNote();
            inv.setInvoiceReferencedDocumentID(d.reference());
            if (d.referenceDate() != null) {
                inv.setInvoiceReferencedIssueDate(date(d.referenceDate()));
            }
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
        Map<Integer, Document.TaxLine> taxes = new HashMap<>();
        d.taxes().stream().filter(t -> t.group() != null).forEach(t -> taxes.put(t.group(), t));
        List<BigDecimal> nets = netAmounts(d, taxes);
        int n = 0;
        int index = 0;
        for (Document.Line l : d.lines()) {
            BigDecimal lineNet = nets.get(index++);
            Document.TaxLine tax = l.taxGroup() == null ? null : taxes.get(l.taxGroup());
            VatCategory category = l.vatCategory() == null ? null : VatCategory.parse(l.vatCategory());
            if (category == null) {
                category = sellerHasVat ? VatCategory.Z : VatCategory.O;
            }
            if (InvoiceLine.DISCOUNT.equals(l.kind()) && lineNet.signum() < 0) {
                // a coupon's discount at one rate is a document-level allowance (BG-20) with that rate's VAT category and
                // rate: an item's net price may not be negative (BR-27), and the allowance lowers exactly that rate's base
                Allowance a = new Allowance(lineNet.negate());
                a.setTaxPercent(tax == null ? BigDecimal.ZERO : tax.rate().movePointRight(2).stripTrailingZeros());
                a.setCategoryCode(category.code());
                a.setReason(l.description());
                a.setReasonCode(DISCOUNT_REASON);
                inv.addAllowance(a);
                continue;
            }
            Product p = new Product(l.description(), "", "C62", BigDecimal.ZERO);
            p.setTaxCategoryCode(category.code());
            p.setVATPercent(tax == null ? BigDecimal.ZERO : tax.rate().movePointRight(2).stripTrailingZeros());
            if (category.needsExemptionReason()) {
                p.setTaxExemptionReason(tax != null && tax.note() != null ? tax.note() : category.label());
                if (category.exemptionCode() != null) {
                    p.setTaxExemptionReasonCode(category.exemptionCode());
                }
            }
            BigDecimal quantity = l.quantity().signum() == 0 ? BigDecimal.ONE : l.quantity();
            BigDecimal net = lineNet;
            BigDecimal unit = net.equals(l.amount().amount()) ? l.unitPrice().amount() : net.divide(quantity, 6, RoundingMode.HALF_UP);
            Item item = new Item(p, unit, quantity).setId(Integer.toString(++n)).setLineTotalAmount(net);
            if (l.periodStart() != null) {
                item.setDetailedDeliveryPeriod(date(l.periodStart()), date(l.periodEnd()));
            }
            inv.addItem(item);
        }
        return inv;
    }

    /**
     * Each line's net amount (BT-131): its amount, or with tax-inclusive prices its amount less the tax inside it —
     * gross / (1 + rate) rounded, the rate's remaining cents put on its largest line so the lines of a rate sum to its net.
     */
    private static List<BigDecimal> netAmounts(Document d, Map<Integer, Document.TaxLine> taxes) {
        List<BigDecimal> nets = new ArrayList<>(d.lines().size());
        Map<Integer, BigDecimal> allocated = new HashMap<>();
        Map<Integer, Integer> largest = new HashMap<>();
        for (int i = 0; i < d.lines().size(); i++) {
            Document.Line l = d.lines().get(i);
            Document.TaxLine tax = l.taxGroup() == null ? null : taxes.get(l.taxGroup());
            BigDecimal amount = l.amount().amount();
            if (tax == null || !tax.included()) {
                nets.add(amount);
                continue;
            }
            BigDecimal net = amount.divide(BigDecimal.ONE.add(tax.rate()), l.amount().minorUnitDigits(), RoundingMode.HALF_UP);
            nets.add(net);
            allocated.merge(tax.group(), net, BigDecimal::add);
            Integer at = largest.get(tax.group());
            if (at == null || d.lines().get(at).amount().amount().compareTo(amount) < 0) {
                largest.put(tax.group(), i);
            }
        }
        for (var e : largest.entrySet()) {
            BigDecimal rest = taxes.get(e.getKey()).taxable().amount().subtract(allocated.get(e.getKey()));
            nets.set(e.getValue(), nets.get(e.getValue()).add(rest));
        }
        return nets;
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
