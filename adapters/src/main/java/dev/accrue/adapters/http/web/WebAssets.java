package dev.accrue.adapters.http.web;

import io.javalin.config.RoutesConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/** The landing page at {@code /} and the few static files of the web pages (one stylesheet, one script). */
public final class WebAssets {
    private static final Map<String, String> TYPES = Map.of("accrue.css", "text/css; charset=utf-8", "accrue.js", "text/javascript; charset=utf-8",
            "sandbox_card.js", "text/javascript; charset=utf-8", "stripe_card.js", "text/javascript; charset=utf-8");
    private final WebTemplates templates;
    private final Map<String, byte[]> files;

    public WebAssets(WebTemplates templates) {
        this.templates = templates;
        this.files = Map.of("accrue.css", read("accrue.css"), "accrue.js", read("accrue.js"), "sandbox_card.js", read("sandbox_card.js"),
                "stripe_card.js", read("stripe_card.js"));
    }

    public void register(RoutesConfig app) {
        app.get("/", ctx -> {
            WebArea.headers(ctx);
            ctx.contentType("text/html; charset=utf-8").result(templates.render("landing", Map.of(), Locale.ENGLISH));
        });
        app.get("/assets/{name}", ctx -> {
            String name = ctx.pathParam("name");
            byte[] bytes = files.get(name);
            if (bytes == null) {
                ctx.status(404).contentType("text/plain").result("not found");
                return;
            }
            ctx.header("Cache-Control", "public, max-age=300").contentType(TYPES.get(name)).result(bytes);
        });
    }

    private static byte[] read(String name) {
        try (InputStream in = WebAssets.class.getResourceAsStream("/web/assets/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing web asset " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
