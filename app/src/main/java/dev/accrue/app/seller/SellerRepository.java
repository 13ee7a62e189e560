package dev.accrue.app.seller;

import dev.accrue.core.seller.SellerIdentity;

import java.time.Instant;
import java.util.Optional;

public interface SellerRepository {
    Optional<SellerIdentity> find(String tenantId);

    void save(String tenantId, SellerIdentity identity, Instant at);
}
