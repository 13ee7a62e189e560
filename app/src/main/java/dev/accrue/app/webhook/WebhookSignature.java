package dev.accrue.app.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Standard Webhooks signature: {@code v1,} + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), where the
 * key is the secret's base64 part decoded and timestamp is whole seconds since the epoch. Several secrets (a
 * rotation's overlap) give several signatures separated by spaces; a receiver accepts any one that matches.
 */
public final class WebhookSignature {
    private WebhookSignature() {
    }

    public static String header(List<String> secrets, String id, long timestampSeconds, String body) {
        return secrets.stream().map(s -> sign(s, id, timestampSeconds, body)).collect(Collectors.joining(" "));
    }

    public static String sign(String secret, String id, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WebhookSecrets.key("secret", secret), "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
