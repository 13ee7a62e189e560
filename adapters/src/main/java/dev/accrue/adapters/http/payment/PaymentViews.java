package dev.accrue.adapters.http.payment;

import dev.accrue.app.payment.Payment;
import dev.accrue.app.payment.PaymentMethod;
import dev.accrue.app.payment.PaymentSettings;
import dev.accrue.app.payment.Refund;
import dev.accrue.core.customer.BillingAddress;
import dev.accrue.core.money.Money;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Wire forms of payment methods, payments, refunds and payment settings. A method never shows its token. */
final class PaymentViews {
    private PaymentViews() {
    }

    record MethodView(String id, String object, String customerId, String type, String brand, String last4, Integer expMonth, Integer expYear,
                      String mandateReference, BillingAddress billingAddress, int priority, boolean isDefault, String gateway, Instant createdAt,
                      Instant updatedAt) {
        static MethodView of(PaymentMethod m) {
            return new MethodView(m.id(), "payment_method", m.customerId(), m.kind(), m.brand(), m.last4(), m.expMonth(), m.expYear(), m.mandateReference(),
                    m.billingAddress(), m.priority(), m.priority() == 1, m.gateway(), m.createdAt(), m.updatedAt());
        }
    }

    record PaymentView(String id, String object, String customerId, String invoiceId, String purpose, String source, String status, String amount,
                       String currency, String applied, String credited, String refunded, String method, String methodType, String brand, String last4,
                       String paymentMethodId, Integer attempt, String gatewayReference, String failureCode, String failureMessage, boolean hardDecline,
                       String reference, LocalDate receivedOn, String receiptNumber, Instant createdAt, Instant settledAt, boolean needsReview,
                       String reviewReason) {
        static PaymentView of(Payment p) {
            return new PaymentView(p.id(), "payment", p.customerId(), p.invoiceId(), p.purpose(), p.source(), p.status(), p.amount().toPlainMinorString(),
                    p.amount().currency().getCurrencyCode(), text(p.applied()), text(p.credited()), text(p.refunded()), p.methodLabel(), p.methodKind(),
                    p.brand(), p.last4(), p.methodId(), p.round() == null ? null : p.round() + 1, p.gatewayReference(), p.failureCode(), p.failureMessage(),
                    p.hardDecline(), p.reference(), p.receivedOn(), p.receiptNumber(), p.createdAt(), p.settledAt(), p.needsReview(),
                    p.needsReview() ? p.reviewReason() : null);
        }
    }

    record RefundView(String id, String object, String paymentId, String customerId, String invoiceId, String creditNoteId, String amount, String currency,
                      String reason, String status, String gatewayReference, String failureMessage, Instant createdAt, Instant settledAt,
                      String invoiceAmount) {
        static RefundView of(Refund r) {
            return new RefundView(r.id(), "refund", r.paymentId(), r.customerId(), r.invoiceId(), r.creditNoteId(), r.amount().toPlainMinorString(),
                    r.amount().currency().getCurrencyCode(), r.reason(), r.status(), r.gatewayReference(), r.failureMessage(), r.createdAt(), r.settledAt(),
                    text(r.invoiceAmount()));
        }
    }

    record SettingsView(String object, List<Integer> retryDays, int graceDays, List<String> acceptedCardBrands) {
        static SettingsView of(PaymentSettings s) {
            return new SettingsView("payment_settings", s.dunning().retryDays(), s.dunning().graceDays(), s.acceptedCardBrands());
        }
    }

    private static String text(Money m) {
        return m == null ? null : m.toPlainMinorString();
    }
}
