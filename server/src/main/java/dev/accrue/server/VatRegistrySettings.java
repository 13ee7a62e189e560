package dev.accrue.server;

import dev.accrue.adapters.vies.ViesVatRegistry;
import dev.accrue.app.tax.VatRegistry;

import java.time.Duration;
import java.util.Map;

/**
 * The VAT registry check from the environment, off by default: ACCRUE_VIES_URL (unset = customers' VAT ids are
 * checked for their format only; {@value ViesVatRegistry#EU_URL} is the EU's service) and ACCRUE_VIES_TIMEOUT_MS
 * (5000; 100-60000), after which the registry counts as unavailable and the customer is saved anyway.
 */
final class VatRegistrySettings {
    private VatRegistrySettings() {
    }

    static VatRegistry fromEnvironment(Map<String, String> env) {
        String url = env.get("ACCRUE_VIES_URL");
        if (url == null || url.isBlank()) {
            return VatRegistry.OFF;
        }
        if (!url.matches("https?://\\S+")) {
            throw new IllegalArgumentException("ACCRUE_VIES_URL must be an http(s) URL such as " + ViesVatRegistry.EU_URL + ", got " + url);
        }
        String timeout = env.getOrDefault("ACCRUE_VIES_TIMEOUT_MS", "5000");
        long millis;
        try {
            millis = Long.parseLong(timeout);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ACCRUE_VIES_TIMEOUT_MS must be a number of milliseconds, got '" + timeout + "'");
        }
        if (millis < 100 || millis > 60_000) {
            throw new IllegalArgumentException("ACCRUE_VIES_TIMEOUT_MS must be 100-60000, got " + millis);
        }
        return new ViesVatRegistry(url.strip(), Duration.ofMillis(millis));
    }
}
