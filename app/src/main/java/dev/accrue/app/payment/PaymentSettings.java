package dev.accrue.app.payment;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.payment.DunningPolicy;

import java.util.List;
import java.util.Set;

/** A tenant's payment settings: the dunning policy and the card brands it accepts. */
public record PaymentSettings(DunningPolicy dunning, List<String> acceptedCardBrands) {
    public static final List<String> BRANDS = List.of("visa", "mastercard", "amex", "discover", "jcb", "diners", "unionpay");
    public static final PaymentSettings DEFAULT = new PaymentSettings(DunningPolicy.DEFAULT, BRANDS);

    public PaymentSettings {
        if (acceptedCardBrands == null || acceptedCardBrands.isEmpty()) {
            throw AccrueException.invalid("accepted_card_brands", "At least one card brand is accepted");
        }
        for (int i = 0; i < acceptedCardBrands.size(); i++) {
            if (!BRANDS.contains(acceptedCardBrands.get(i))) {
                throw AccrueException.invalid("accepted_card_brands[" + i + "]", "Card brands are " + BRANDS);
            }
        }
        if (Set.copyOf(acceptedCardBrands).size() != acceptedCardBrands.size()) {
            throw AccrueException.invalid("accepted_card_brands", "A brand is listed twice");
        }
        acceptedCardBrands = List.copyOf(acceptedCardBrands);
    }

    public boolean accepts(String kind, String brand) {
        return !"card".equals(kind) || acceptedCardBrands.contains(brand);
    }
}
