package dev.accrue.adapters.http.web;

import dev.accrue.core.seller.SellerIdentity;

import java.util.Base64;

/**
 * The tenant's look from its seller profile: name, logo and brand colour. The header text colour is chosen for
 * contrast against the brand colour (WCAG relative luminance), so any colour the tenant picks stays readable.
 */
public record Branding(String name, String logoDataUri, String color, String onColor) {

    public static Branding of(SellerIdentity seller) {
        String color = seller.brandColor() == null ? SellerIdentity.DEFAULT_COLOR : seller.brandColor();
        String logo = seller.logoPng() == null ? null : "data:image/png;base64," + Base64.getEncoder().encodeToString(seller.logoPng());
        return new Branding(seller.legalName(), logo, color, contrasting(color));
    }

    static String contrasting(String hex) {
        double l = 0.2126 * linear(hex, 1) + 0.7152 * linear(hex, 3) + 0.0722 * linear(hex, 5);
        // contrast with white is 1.05/(l+0.05), with black (l+0.05)/0.05: take the larger
        return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#ffffff" : "#000000";
    }

    private static double linear(String hex, int at) {
        double c = Integer.parseInt(hex.substring(at, at + 2), 16) / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
