package dev.accrue.adapters.pdf;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.StringLoader;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The Pebble engines behind every document and email: one escaping HTML (documents, hosted pages, HTML
 * email), one writing plain text (subjects, text email). Variables are strict: a template that names
 * something the document does not have fails with a precise error rather than printing a blank.
 */
public final class Templates {
    private final PebbleEngine html;
    private final PebbleEngine text;
    private final PebbleEngine checker;
    private final PebbleEngine wording;

    public Templates() {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("templates");
        this.html = new PebbleEngine.Builder().loader(loader).strictVariables(true).autoEscaping(true).defaultEscapingStrategy("html").build();
        ClasspathLoader textLoader = new ClasspathLoader();
        textLoader.setPrefix("templates");
        this.text = new PebbleEngine.Builder().loader(textLoader).strictVariables(true).autoEscaping(false).newLineTrimming(false).build();
        this.checker = new PebbleEngine.Builder().loader(new StringLoader()).strictVariables(true).autoEscaping(true).cacheActive(false).build();
        // a tenant's wording, given as text: plain text out (the HTML email escapes the result as a whole), strict variables
        this.wording = new PebbleEngine.Builder().loader(new StringLoader()).strictVariables(true).autoEscaping(false).newLineTrimming(false)
                .cacheActive(false).build();
    }

    public String html(String name, Map<String, Object> context) {
        return render(html, name, context);
    }

    public String text(String name, Map<String, Object> context) {
        return render(text, name, context);
    }

    /**
     * Renders a template given as text against {@code context}: how a template is checked before it is
     * accepted. An unknown placeholder or a syntax error is an {@code invalid_template} error naming the line.
     */
    public String check(String source, Map<String, Object> context) {
        try {
            StringWriter out = new StringWriter();
            checker.getTemplate(source).evaluate(out, context);
            return out.toString();
        } catch (PebbleException e) {
            throw new AccrueException(ErrorCode.INVALID_TEMPLATE, "template", "Template error at line " + e.getLineNumber() + ": " + e.getPebbleMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Renders a tenant's wording (given as text) as plain text; an unknown placeholder or a syntax error is an
     * {@code invalid_template} error on {@code field} naming the line and the placeholder.
     */
    public String wording(String field, String source, Map<String, Object> context) {
        try {
            StringWriter out = new StringWriter();
            wording.getTemplate(source).evaluate(out, context);
            return out.toString();
        } catch (PebbleException e) {
            throw new AccrueException(ErrorCode.INVALID_TEMPLATE, field, field + ": template error at line " + e.getLineNumber() + ": " + e.getPebbleMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String render(PebbleEngine engine, String name, Map<String, Object> context) {
        try {
            StringWriter out = new StringWriter();
            engine.getTemplate(name).evaluate(out, context);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
