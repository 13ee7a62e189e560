package dev.accrue.adapters.http.web;

import dev.accrue.core.error.AccrueException;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The sentence an error page shows, in the viewer's language. In English it is the use case's own message (it names
 * the field or the limit). In another shipped language it is that language's sentence for the error's stable code
 * ({@code error.code.<code>} in {@code web/messages_<lang>.properties}), else its sentence for the HTTP status
 * ({@code error.status.<status>}) — the English detail is not shown half-translated. A language without a bundle
 * gets the English message.
 */
public final class ErrorTexts {
    private ErrorTexts() {
    }

    public static String message(AccrueException e, int status, Locale locale) {
        if (locale.getLanguage().equals(Locale.ENGLISH.getLanguage())) {
            return e.getMessage();
        }
        ResourceBundle words;
        try {
            words = ResourceBundle.getBundle("web.messages", locale, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_DEFAULT));
        } catch (MissingResourceException missing) {
            return e.getMessage();
        }
        if (!words.getLocale().getLanguage().equals(locale.getLanguage())) {
            return e.getMessage(); // no bundle of that language: the base (English) bundle was found
        }
        for (String key : new String[] {"error.code." + e.code().wire(), "error.status." + status}) {
            if (words.containsKey(key)) {
                return words.getString(key);
            }
        }
        return e.getMessage();
    }
}
