package dev.accrue.adapters.payment.stripe;

import com.stripe.model.PaymentMethod;
import dev.accrue.app.payment.gateway.GatewayMethod;

/**
 * What Accrue keeps of a Stripe PaymentMethod: kind, brand, last four and expiry, never the number. Cards are
 * {@code card}; SEPA, BACS and US bank debits are {@code bank_account} (brand = Stripe's method type, last
 * four of the IBAN / account); UPI is {@code upi}, with the handle's provider as brand and only the last four
 * characters of the payer's id before the {@code @}.
 */
final class StripeMethods {
    private StripeMethods() {
    }

    static GatewayMethod describe(PaymentMethod pm, String mandateReference) {
        String type = pm.getType();
        if ("card".equals(type) && pm.getCard() != null) {
            PaymentMethod.Card card = pm.getCard();
            return new GatewayMethod(pm.getId(), "card", card.getBrand(), card.getLast4(), toInt(card.getExpMonth()), toInt(card.getExpYear()),
                    null);
        }
        if ("sepa_debit".equals(type) && pm.getSepaDebit() != null) {
            return new GatewayMethod(pm.getId(), "bank_account", "sepa_debit", pm.getSepaDebit().getLast4(), null, null, mandateReference);
        }
        if ("bacs_debit".equals(type) && pm.getBacsDebit() != null) {
            return new GatewayMethod(pm.getId(), "bank_account", "bacs_debit", pm.getBacsDebit().getLast4(), null, null, mandateReference);
        }
        if ("us_bank_account".equals(type) && pm.getUsBankAccount() != null) {
            return new GatewayMethod(pm.getId(), "bank_account", "us_bank_account", pm.getUsBankAccount().getLast4(), null, null,
                    mandateReference);
        }
        if ("upi".equals(type) && pm.getUpi() != null && pm.getUpi().getVpa() != null) {
            String vpa = pm.getUpi().getVpa();
            int at = vpa.indexOf('@');
            String payer = at < 0 ? vpa : vpa.substring(0, at);
            String provider = at < 0 ? "upi" : vpa.substring(at + 1);
            return new GatewayMethod(pm.getId(), "upi", provider, payer.length() <= 4 ? payer : payer.substring(payer.length() - 4), null, null,
                    mandateReference);
        }
        return new GatewayMethod(pm.getId(), type, type, null, null, null, mandateReference);
    }

    private static Integer toInt(Long value) {
        return value == null ? null : Math.toIntExact(value);
    }
}
