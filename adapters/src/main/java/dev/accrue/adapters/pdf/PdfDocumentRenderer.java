package dev.accrue.adapters.pdf;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import dev.accrue.app.document.Document;
import dev.accrue.app.document.DocumentRenderer;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Documents from the one template source {@code templates/document/document.html.peb}: the HTML is the
 * hosted page, and openhtmltopdf lays the same HTML out as PDF with the Noto fonts embedded (Latin,
 * Cyrillic, Greek from Noto Sans; Devanagari from Noto Sans Devanagari; SIL Open Font License 1.1), so
 * a PDF prints the same on every machine. Font files are read once and shared by every render.
 */
public final class PdfDocumentRenderer implements DocumentRenderer {
    private static final String DOCUMENT = "document/document.html.peb";
    private final Templates templates;
    private final Map<String, byte[]> fonts = new HashMap<>();
    private final byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();

    public PdfDocumentRenderer(Templates templates) {
        this.templates = templates;
        for (String f : new String[] {"NotoSans-Regular", "NotoSans-Bold", "NotoSansDevanagari-Regular", "NotoSansDevanagari-Bold"}) {
            fonts.put(f, resource("/fonts/" + f + ".ttf"));
        }
    }

    @Override
    public String html(Document document, String pdfLink) {
        return templates.html(DOCUMENT, context(document, pdfLink));
    }

    @Override
    public byte[] pdf(Document document) {
        return toPdf(html(document, null), false);
    }

    @Override
    public byte[] pdfA3(Document document) {
        return toPdf(html(document, null), true);
    }

    @Override
    public RenderedEmail email(Document document, String link) {
        Map<String, Object> context = context(document, null);
        context.put("link", link);
        String subject = templates.text("email/subject.peb", context).strip();
        return new RenderedEmail(subject, templates.text("email/body.txt.peb", context), templates.html("email/body.html.peb", context));
    }

    static Map<String, Object> context(Document document, String pdfLink) {
        Map<String, Object> context = new HashMap<>();
        context.put("doc", document);
        context.put("kind", document.kind().wire());
        context.put("pdfLink", pdfLink);
        return context;
    }

    private byte[] toPdf(String html, boolean pdfA3) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024)) {
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.useFastMode();
            builder.withHtmlContent(html, null);
            font(builder, "NotoSans-Regular", "Noto Sans", 400);
            font(builder, "NotoSans-Bold", "Noto Sans", 700);
            font(builder, "NotoSansDevanagari-Regular", "Noto Sans Devanagari", 400);
            font(builder, "NotoSansDevanagari-Bold", "Noto Sans Devanagari", 700);
            if (pdfA3) {
                builder.usePdfAConformance(PdfRendererBuilder.PdfAConformance.PDFA_3_U);
                builder.useColorProfile(srgb);
            }
            builder.toStream(out);
            builder.run();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void font(PdfRendererBuilder builder, String file, String family, int weight) {
        byte[] bytes = fonts.get(file);
        builder.useFont(() -> new ByteArrayInputStream(bytes), family, weight, BaseRendererBuilder.FontStyle.NORMAL, true);
    }

    private static byte[] resource(String path) {
        try (InputStream in = PdfDocumentRenderer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
