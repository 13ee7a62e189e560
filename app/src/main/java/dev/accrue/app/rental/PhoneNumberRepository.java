package dev.accrue.app.rental;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

public interface PhoneNumberRepository {
    void insert(String tenantId, PhoneNumber number);

    boolean numberTaken(String tenantId, String number);

    long countForCustomer(String tenantId, String customerId);

    List<PhoneNumber> forSubscription(String tenantId, String subscriptionId);

    Optional<PhoneNumber> find(String tenantId, String subscriptionId, String id);

    void setBilledThrough(String tenantId, String id, LocalDate billedThrough);

    void hold(String tenantId, String id, LocalDate since, LocalDate releaseOn);

    void activate(String tenantId, String id, LocalDate billedThrough);

    void release(String tenantId, String id, LocalDate on);

    void setAutoPay(String tenantId, String id, boolean autoPay);
}
