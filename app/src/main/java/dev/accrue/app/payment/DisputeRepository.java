package dev.accrue.app.payment;

import dev.accrue.app.page.PageRequest;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

public interface DisputeRepository {
    /** The dispute the gateway names {@code gatewayReference}, locked until the transaction ends. */
    Optional<Dispute> findByGatewayReference(String tenantId, String gateway, String gatewayReference);

    void insert(String tenantId, Dispute dispute);

    void update(String tenantId, Dispute dispute);

    /** Newest first, narrowed to a customer and/or an invoice when given; {@code limit + 1} rows. */
    List<Dispute> list(String tenantId, String customerId, String invoiceId, PageRequest page);

    /** What disputes open or lost hold of the payment (the bank's to give back, so not refundable). */
    BigDecimal held(String tenantId, String paymentId);
}
