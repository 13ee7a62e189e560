package dev.accrue.adapters.http.web;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * The Pebble engine of the portal and the console: templates under {@code web/}, HTML autoescaping on (text a
 * customer or operator typed is always shown inert), strings from the {@code web.messages} resource bundles via
 * Pebble's {@code i18n} function in the request's locale.
 */
public final class WebTemplates {
    public static final String BUNDLE = "web.messages";
    private final PebbleEngine engine;

    public WebTemplates() {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("web");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).strictVariables(false).autoEscaping(true).defaultEscapingStrategy("html")
                .defaultLocale(Locale.ENGLISH).build();
    }

    public String render(String name, Map<String, Object> model, Locale locale) {
        try {
            StringWriter out = new StringWriter();
            engine.getTemplate(name).evaluate(out, model, locale);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
