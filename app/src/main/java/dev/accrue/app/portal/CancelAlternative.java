package dev.accrue.app.portal;

/**
 * One alternative the portal's cancel page offers instead of cancelling. {@code DOWNGRADE}: move to {@code plan}
 * (the customer sees the exact preview before confirming); {@code CONTACT}: a link ({@code label}, {@code url}:
 * https, mailto or tel) to talk to the tenant; {@code PAUSE}: pause the subscription until a date the customer picks
 * (the API's pause: unused days credited, no fixed fees while paused). {@code message} is an optional sentence shown with it.
 */
public record CancelAlternative(Kind kind, String plan, String label, String url, String message) {
    public enum Kind {
        DOWNGRADE,
        CONTACT,
        PAUSE
    }
}
