package dev.accrue.app.payment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface PaymentMethodRepository {
    Optional<PaymentSettings> settings(String tenantId);

    void saveSettings(String tenantId, PaymentSettings settings, Instant at);

    Optional<String> gatewayCustomer(String tenantId, String customerId, String gateway);

    /** Stores the gateway's customer record unless one is stored already; returns the one stored. */
    String saveGatewayCustomer(String tenantId, String customerId, String gateway, String reference);

    /** Serialises changes to one customer's methods (and their priorities) until the transaction ends. */
    void lockCustomer(String tenantId, String customerId);

    /** Active methods, default first, then the backups in priority order. */
    List<PaymentMethod> active(String tenantId, String customerId);

    Optional<PaymentMethod> find(String tenantId, String customerId, String id);

    void insert(String tenantId, PaymentMethod method);

    /** Writes expiry, billing address, priority and status. */
    void update(String tenantId, PaymentMethod method, Instant at);
}
