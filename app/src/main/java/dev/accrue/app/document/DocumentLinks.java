package dev.accrue.app.document;

import java.time.Instant;
import java.util.Optional;

/** Unguessable tokens that open one document without an API key. */
public interface DocumentLinks {
    /** The document's token, creating it with {@code candidate} when it has none yet. */
    String tokenFor(String tenantId, String objectType, String objectId, String candidate, Instant at);

    Optional<Link> find(String token);

    record Link(String tenantId, String objectType, String objectId) {
    }
}
