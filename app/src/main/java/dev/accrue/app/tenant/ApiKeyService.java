package dev.accrue.app.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import dev.accrue.app.cache.Caches;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Actor;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.auth.Role;
import dev.accrue.app.id.Ids;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.tenant.TenantMode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Issues, authenticates and revokes API keys. Secrets are 192 random bits, so a plain SHA-256 is a safe
 * one-way store (no slow hash is needed against brute force) and lets authentication be one indexed lookup.
 */
public final class ApiKeyService {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyService.class);
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private final Transactions tx;
    private final ApiKeyRepository keys;
    private final TenantRepository tenants;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiKeyService(Transactions tx, ApiKeyRepository keys, TenantRepository tenants, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.keys = keys;
        this.tenants = tenants;
        this.audit = audit;
        this.clock = clock;
    }

    public IssuedApiKey create(Caller caller, String name, Role role) {
        caller.requireWrite();
        String label = name == null || name.isBlank() ? "api key" : name.trim();
        if (label.length() > 100) {
            throw AccrueException.invalid("name", "name must be at most 100 characters");
        }
        if (role == null) {
            throw AccrueException.invalid("role", "role must be 'admin' or 'read_only'");
        }
        IssuedApiKey issued = tx.inTransaction(() -> {
            Tenant tenant = tenants.find(caller.tenantId()).orElseThrow(() -> AccrueException.notFound("tenant", caller.tenantId()));
            String secret = (tenant.mode() == TenantMode.LIVE ? "sk_live_" : "sk_test_") + randomToken(32);
            ApiKey key = new ApiKey(Ids.next("key"), tenant.id(), label, role, secret.substring(0, 12), clock.instant(), null);
            keys.insert(key, hash(secret));
            audit.record(caller, "api_key", key.id(), "api_key.created", null, key);
            return new IssuedApiKey(key, secret);
        });
        // the key's id only: no part of the secret is ever logged
        LOG.info("API key {} ({}) created in tenant {} by {}", issued.key().id(), role.name().toLowerCase(java.util.Locale.ROOT),
                caller.tenantId(), caller.actor().wire());
        return issued;
    }

    /** Resolves a presented secret to its caller, or fails with {@code unauthenticated} without saying why. */
    /**
     * Who a secret belongs to. A key that authenticated is remembered for {@link #REMEMBER_MILLIS}, which saves
     * a database round trip on most requests (the hot paths — usage, authorizations — are one or two statements
     * otherwise); a revocation takes effect at once on the node that revoked the key and within that time on
     * the others. Unknown and revoked secrets are never remembered.
     */
    public Caller authenticate(String secret) {
        if (secret == null || secret.length() < 20 || secret.length() > 100) {
            throw unauthenticated();
        }
        String hash = hash(secret);
        long now = clock.millis();
        Remembered r = remembered.getIfPresent(hash);
        if (r != null && r.until() > now) {
            return r.caller();
        }
        ApiKey key = tx.autoCommit(() -> keys.findBySecretHash(hash)).orElseThrow(ApiKeyService::unauthenticated);
        if (key.revoked()) {
            remembered.invalidate(hash);
            throw new AccrueException(ErrorCode.API_KEY_REVOKED, "This API key was revoked");
        }
        Caller caller = new Caller(key.tenantId(), new Actor(Actor.Type.API_KEY, key.id()), key.role());
        remembered.put(hash, new Remembered(caller, now + REMEMBER_MILLIS));
        return caller;
    }

    /** How long an authenticated key is trusted without asking the database again. */
    public static final long REMEMBER_MILLIS = 2_000;

    private record Remembered(Caller caller, long until) {
    }

    private final Cache<String, Remembered> remembered = Caches.written("api_keys", 10_000, Duration.ofMillis(REMEMBER_MILLIS));

    public ApiKey revoke(Caller caller, String keyId) {
        caller.requireWrite();
        boolean[] revokedNow = new boolean[1];
        ApiKey result = tx.inTransaction(() -> {
            ApiKey before = keys.find(caller.tenantId(), keyId).orElseThrow(() -> AccrueException.notFound("api_key", keyId));
            if (!keys.revoke(caller.tenantId(), keyId, clock.instant())) {
                return before;
            }
            ApiKey after = keys.find(caller.tenantId(), keyId).orElseThrow();
            audit.record(caller, "api_key", keyId, "api_key.revoked", before, after);
            remembered.asMap().values().removeIf(r -> r.caller().actor().id().equals(keyId));
            revokedNow[0] = true;
            return after;
        });
        if (revokedNow[0]) {
            LOG.info("API key {} of tenant {} revoked by {}", keyId, caller.tenantId(), caller.actor().wire());
        }
        return result;
    }

    public ApiKey get(Caller caller, String keyId) {
        return tx.inTransaction(() -> keys.find(caller.tenantId(), keyId)).orElseThrow(() -> AccrueException.notFound("api_key", keyId));
    }

    public Page<ApiKey> list(Caller caller, PageRequest page) {
        return tx.inTransaction(() -> keys.list(caller.tenantId(), page));
    }

    private String randomToken(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private static AccrueException unauthenticated() {
        return new AccrueException(ErrorCode.UNAUTHENTICATED, "Missing or unknown API key; send 'Authorization: Bearer sk_…'");
    }
}
