package dev.accrue.core.contact;

/**
 * One record of a customer's contact database, as the tenant syncs it: {@code id} is the tenant's own id of
 * the contact (unique per customer). It counts (is billed) when it {@link #qualifies() qualifies}.
 * {@code chatReplied} is true when the person wrote in a chat conversation (conversations where only the
 * business wrote do not count); {@code webPush} when the person has a web-push subscription.
 */
public record Contact(String id, String email, String phone, String userId, boolean chatReplied, boolean webPush) {

    /**
     * A contact counts if it has at least one of: an email address, a phone number, a user id, a chat
     * conversation where the person wrote, a web-push subscription. Blank strings count as absent.
     */
    public boolean qualifies() {
        return present(email) || present(phone) || present(userId) || chatReplied || webPush;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
