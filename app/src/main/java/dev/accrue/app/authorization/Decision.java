package dev.accrue.app.authorization;

import java.math.BigDecimal;

/**
 * The answer to "may this call start?": whether it may, the authorization that now holds the granted
 * quantity, and what was available. {@code available} is null when usage is unlimited (charged without cap).
 * {@code reason} says why not: {@code balance_exhausted}, {@code subscription_suspended}, {@code usage_blocked}.
 */
public record Decision(boolean authorized, String authorizationId, BigDecimal granted, BigDecimal available, BigDecimal used,
                       BigDecimal included, String reason) {
}
