package dev.accrue.app.creditwallet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Credit wallets, their append-only entries and their target top-ups. */
public interface CreditWalletRepository {
    void insert(String tenantId, CreditWallet wallet);

    /** The customer's wallets, in the order invoices consume them (priority, then oldest). */
    List<CreditWallet> ofCustomer(String tenantId, String customerId);

    Optional<CreditWallet> find(String tenantId, String customerId, String walletId);

    /** Serialises everything that moves a customer's credits until the transaction ends. */
    void lock(String tenantId, String customerId);

    /** The wallet's entries, oldest effect first. */
    List<CreditWalletEntry> entries(String tenantId, String walletId);

    /** Appends the entry; false (nothing written) when its source key was already recorded. */
    boolean append(String tenantId, CreditWalletEntry entry);

    /** Inserts a pending top-up; false when the wallet already has one pending. */
    boolean insertTopUp(String tenantId, CreditWalletTopUp topUp);

    List<CreditWalletTopUp> topUps(String tenantId, String walletId);

    /** Pending top-ups of every tenant, or only of one test clock's customers. */
    List<TenantTopUp> pendingTopUps(String clockTenant, String clockId, int limit);

    Optional<CreditWalletTopUp> findTopUp(String tenantId, String topUpId);

    Optional<CreditWalletTopUp> lockTopUp(String tenantId, String topUpId);

    void settleTopUp(String tenantId, String topUpId, String status, String gatewayReference, String failureCode, Instant at);

    /**
     * Stamps the first time the top-up is handed to the gateway ({@code at}, unless stamped before) and returns that
     * first time: how old its idempotency key is at the gateway.
     */
    Instant markTopUpSent(String tenantId, String topUpId, Instant at);

    /** Customers that hold a wallet with recurring grants, expiring lots or a top-up rule: every tenant's, or one test clock's. */
    List<TenantCustomer> customersWithWallets(String clockTenant, String clockId, int limit, String afterCustomer);

    record TenantTopUp(String tenantId, CreditWalletTopUp topUp) {
    }

    record TenantCustomer(String tenantId, String customerId) {
    }
}
