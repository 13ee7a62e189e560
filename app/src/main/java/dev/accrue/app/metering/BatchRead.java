package dev.accrue.app.metering;

import dev.accrue.core.subscription.Subscription;

import java.util.Map;
import java.util.Set;

/**
 * What a batch's validation read of its customers, handed to the usage listeners so that they need not read it again:
 * the subscriptions the events bill to, by id, and which of the batch's customers are prepaid ({@code null}: not at
 * hand, the listener reads it). As fresh as the validation's own read (a moment old when remembered,
 * {@link IngestionLookups}).
 */
public record BatchRead(Map<String, Subscription> subscriptions, Set<String> prepaid) {
    /** Nothing at hand (usage folded from Kafka, stored before a restart). */
    public static final BatchRead NONE = new BatchRead(Map.of(), null);
}
