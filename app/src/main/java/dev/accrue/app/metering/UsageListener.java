package dev.accrue.app.metering;

import dev.accrue.core.metering.MeteredEvent;

import java.util.List;

/** Told, inside the ingestion transaction, which events were newly stored (duplicates excluded). */
@FunctionalInterface
public interface UsageListener {
    void accepted(String tenantId, List<MeteredEvent> stored);
}
