package dev.accrue.app.payment;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public interface PaymentMethodRepository {
    Optional<PaymentSettings> settings(String tenantId);

    void saveSettings(String tenantId, PaymentSettings settings, Instant at);

    Optional<String> gatewayCustomer(String tenantId, String customerId, String gateway);

    /** Stores the gateway's customer record unless one is stored already; returns the one stored. */
    String saveGatewayCustomer(String tenantId, String customerId, String gateway, String reference);

    /** Serialises changes to one customer's methods (and their priorities) until the transaction ends. */
    void lockCustomer(String tenantId, String customerId);

    /**
     * {@link #lockCustomer} for several customers of one tenant in one statement, in the order given (callers pass
     * them sorted, so that concurrent batches take the locks in one order and cannot deadlock).
     */
    void lockCustomers(String tenantId, List<String> customerIds);

    /** {@link #active} for several customers at once: customer id → active methods in the order they are tried. */
    Map<String, List<PaymentMethod>> activeOf(String tenantId, List<String> customerIds);

    /** {@link #gatewayCustomer} for several customers at once: customer id → the gateway's customer record. */
    Map<String, String> gatewayCustomers(String tenantId, List<String> customerIds, String gateway);

    /** Active methods, default first, then the backups in priority order. */
    List<PaymentMethod> active(String tenantId, String customerId);

    Optional<PaymentMethod> find(String tenantId, String customerId, String id);

    void insert(String tenantId, PaymentMethod method);

    /** Writes expiry, billing address, priority and status. */
    void update(String tenantId, PaymentMethod method, Instant at);
}
