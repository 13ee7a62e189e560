package dev.accrue.adapters.http.web;

import dev.accrue.core.error.AccrueException;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Optional;
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
        return message(e, status, locale, null);
    }

    /**
     * As {@link #message(AccrueException, int, Locale)}, but a sentence the web area chose ({@code textKey}, e.g. a
     * refused CSRF token, which shares its code with a refused role) comes first, in every language.
     */
    public static String message(AccrueException e, int status, Locale locale, String textKey) {
        if (textKey != null) {
            Optional<String> chosen = text(textKey, locale);
            if (chosen.isPresent()) {
                return chosen.get();
            }
        }
        if (locale.getLanguage().equals(Locale.ENGLISH.getLanguage())) {
            return e.getMessage();
        }
        Optional<ResourceBundle> words = bundle(locale);
        if (words.isEmpty()) {
            return e.getMessage(); // no bundle of that language: the English detail rather than a generic English sentence
        }
        for (String key : new String[] {"error.code." + e.code().wire(), "error.status." + status}) {
            if (words.get().containsKey(key)) {
                return words.get().getString(key);
            }
        }
        return e.getMessage();
    }

    /** A text of the web messages in {@code locale}'s language, else in English; empty when neither has it. */
    public static Optional<String> text(String key, Locale locale) {
        for (Locale l : new Locale[] {locale, Locale.ROOT}) {
            Optional<ResourceBundle> words = l == Locale.ROOT ? Optional.of(ResourceBundle.getBundle("web.messages", Locale.ROOT,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_DEFAULT))) : bundle(l);
            if (words.isPresent() && words.get().containsKey(key)) {
                return Optional.of(words.get().getString(key));
            }
        }
        return Optional.empty();
    }

    /** The bundle of exactly {@code locale}'s language (not the English base bundle standing in for it). */
    private static Optional<ResourceBundle> bundle(Locale locale) {
        try {
            ResourceBundle words = ResourceBundle.getBundle("web.messages", locale,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_DEFAULT));
            return words.getLocale().getLanguage().equals(locale.getLanguage()) ? Optional.of(words) : Optional.empty();
        } catch (MissingResourceException missing) {
            return Optional.empty();
        }
    }
}
