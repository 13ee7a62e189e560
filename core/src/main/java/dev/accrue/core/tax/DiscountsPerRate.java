package dev.accrue.core.tax;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.LineTax;
import dev.accrue.core.money.Money;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a taxed document shows its discounts: one {@code discount} line per coupon and rate. A coupon's discount arrives
 * as parts, one per charge code it took from (so tax filed each part under the rate of the charge it discounted); here
 * the parts of one coupon (its description) that tax put under the same tax line are folded into one line — the shape
 * of an EN 16931 document-level allowance (BG-20), which carries one VAT category and rate. A coupon split over several
 * rates gets the rate's tax line named on each of its lines ("… (VAT 7 %)"). Amounts are only added: the lines of each
 * tax group still come to exactly its taxable amount.
 */
public final class DiscountsPerRate {
    private DiscountsPerRate() {
    }

    private record Key(String description, LineTax tax) {
    }

    public static List<InvoiceLine> fold(List<InvoiceLine> lines) {
        Map<Key, InvoiceLine> folded = new LinkedHashMap<>();
        Map<Key, Boolean> mixedCodes = new HashMap<>();
        Map<String, Integer> ratesPerCoupon = new HashMap<>();
        Map<Integer, InvoiceLine> taxLines = new HashMap<>();
        for (InvoiceLine l : lines) {
            if (l.isTax() && l.tax() != null && l.tax().group() != null) {
                taxLines.put(l.tax().group(), l);
            }
            if (!InvoiceLine.DISCOUNT.equals(l.kind())) {
                continue;
            }
            Key k = new Key(l.description(), l.tax());
            InvoiceLine before = folded.get(k);
            if (before == null) {
                folded.put(k, l);
                ratesPerCoupon.merge(l.description(), 1, Integer::sum);
                continue;
            }
            Money sum = before.amount().plus(l.amount());
            if (!Objects.equals(before.chargeCode(), l.chargeCode())) {
                mixedCodes.put(k, true);
            }
            folded.put(k, new InvoiceLine(before.kind(), before.chargeCode(), before.description(), before.servicePeriod(), before.quantity(), sum, sum,
                    before.tax()));
        }
        if (folded.isEmpty()) {
            return lines;
        }
        List<InvoiceLine> out = new ArrayList<>(lines.size());
        for (InvoiceLine l : lines) {
            if (!InvoiceLine.DISCOUNT.equals(l.kind())) {
                out.add(l);
                continue;
            }
            Key k = new Key(l.description(), l.tax());
            InvoiceLine f = folded.remove(k);
            if (f == null) {
                continue; // folded into the first part of its coupon and rate
            }
            String code = mixedCodes.containsKey(k) ? null : f.chargeCode();
            String description = f.description();
            InvoiceLine taxLine = f.tax() == null || f.tax().group() == null ? null : taxLines.get(f.tax().group());
            if (ratesPerCoupon.get(f.description()) > 1 && taxLine != null) {
                description = description + " (" + taxLine.description() + ")";
            }
            out.add(new InvoiceLine(f.kind(), code, description, f.servicePeriod(), f.quantity(), f.unitPrice(), f.amount(), f.tax()));
        }
        return List.copyOf(out);
    }
}
