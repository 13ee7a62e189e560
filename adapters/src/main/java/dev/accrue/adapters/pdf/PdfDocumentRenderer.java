package dev.accrue.adapters.pdf;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder;
import com.openhtmltopdf.pdfboxout.PDFontSupplier;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.util.XRLog;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import dev.accrue.app.document.Document;
import dev.accrue.app.document.DocumentRenderer;
import dev.accrue.app.document.EmailTemplate;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Documents from the one template source {@code templates/document/document.html.peb}: the HTML is the
 * hosted page, and openhtmltopdf lays the same HTML out as PDF with the Noto fonts embedded (Latin,
 * Cyrillic, Greek from Noto Sans; Devanagari from Noto Sans Devanagari; SIL Open Font License 1.1), so
 * a PDF prints the same on every machine.
 *
 * <p>Speed: the fonts are parsed once into sets kept in a pool; a render borrows a set, builds the PDF into
 * its own PDFBox document (each font is loaded into it, and subset, only when the page uses it) and gives
 * the set back. A parsed font is not safe for two renders at once, hence a set per concurrent render. Glyph
 * substitution (GSUB) is on only for the Devanagari faces, the script that needs it (see {@link #parseFonts}).
 */
public final class PdfDocumentRenderer implements DocumentRenderer {
    private static final String DOCUMENT = "document/document.html.peb";
    private final Templates templates;
    /** The embedded fonts: file, CSS family, weight, and whether its script needs glyph substitution to be readable. */
    private static final List<FontFace> FACES = List.of(new FontFace("NotoSans-Regular", "Noto Sans", 400, false),
            new FontFace("NotoSans-Bold", "Noto Sans", 700, false), new FontFace("NotoSansDevanagari-Regular", "Noto Sans Devanagari", 400, true),
            new FontFace("NotoSansDevanagari-Bold", "Noto Sans Devanagari", 700, true));
    private final Map<String, byte[]> fontFiles = new HashMap<>();
    private final Queue<List<TrueTypeFont>> fontSets = new ConcurrentLinkedQueue<>();
    private final byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();

    private record FontFace(String file, String family, int weight, boolean shaping) {
    }

    public PdfDocumentRenderer(Templates templates) {
        this.templates = templates;
        XRLog.setLoggerImpl(new Slf4jXRLogger());
        for (FontFace f : FACES) {
            fontFiles.put(f.file(), resource("/fonts/" + f.file() + ".ttf"));
        }
        fontSets.add(parseFonts()); // fail at boot, not at the first render, if a font is broken
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
    public RenderedEmail email(Document document, String link, EmailTemplate wording) {
        Map<String, Object> context = context(document, null);
        context.put("link", link);
        Map<String, Object> placeholders = EmailWording.context(document, link);
        String subject = wording != null && wording.subject() != null ? templates.wording("subject", wording.subject(), placeholders).strip()
                : templates.text("email/subject.peb", context).strip();
        // the intro is plain text: the HTML part escapes it (user-supplied text never becomes markup)
        context.put("intro", wording != null && wording.intro() != null ? templates.wording("intro", wording.intro(), placeholders).strip() : null);
        return new RenderedEmail(subject.replaceAll("[\\r\\n]+", " "), templates.text("email/body.txt.peb", context), templates.html("email/body.html.peb", context));
    }

    @Override
    public void checkEmailTemplate(EmailTemplate wording) {
        if (wording.subject() != null) {
            templates.wording("subject", wording.subject(), EmailWording.sample());
        }
        if (wording.intro() != null) {
            templates.wording("intro", wording.intro(), EmailWording.sample());
        }
    }

    static Map<String, Object> context(Document document, String pdfLink) {
        Map<String, Object> context = new HashMap<>();
        context.put("doc", document);
        context.put("kind", document.kind().wire());
        context.put("pdfLink", pdfLink);
        return context;
    }

    private byte[] toPdf(String html, boolean pdfA3) {
        List<TrueTypeFont> fonts = fontSets.poll();
        if (fonts == null) {
            fonts = parseFonts();
        }
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024)) {
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.useFastMode();
            builder.usePDDocument(doc);
            builder.withHtmlContent(html, null);
            for (int i = 0; i < FACES.size(); i++) {
                FontFace f = FACES.get(i);
                builder.useFont(new LazyFont(doc, fonts.get(i)), f.family(), f.weight(), BaseRendererBuilder.FontStyle.NORMAL, true);
            }
            if (pdfA3) {
                builder.usePdfAConformance(PdfRendererBuilder.PdfAConformance.PDFA_3_U);
                builder.useColorProfile(srgb);
            }
            builder.toStream(out);
            builder.run();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            fontSets.add(fonts);
        }
    }

    private List<TrueTypeFont> parseFonts() {
        List<TrueTypeFont> set = new ArrayList<>();
        for (FontFace f : FACES) {
            try {
                TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(fontFiles.get(f.file())));
                // PDFBox applies a font's GSUB table to every string it draws, rebuilding a regular expression of all the
                // font's ligatures each time: three quarters of a render's time (profiled with JFR). Latin, Cyrillic and
                // Greek read the same without ligatures, so only Devanagari, whose conjuncts and vowel signs need it, keeps it.
                ttf.setEnableGsub(f.shaping());
                set.add(ttf);
            } catch (IOException e) {
                throw new UncheckedIOException("Font " + f.file() + " does not parse", e);
            }
        }
        return set;
    }

    /** Loads a parsed font into the document being rendered the first time the layout asks for it. */
    private static final class LazyFont extends PDFontSupplier {
        private final PDDocument doc;
        private final TrueTypeFont ttf;
        private PDFont font;

        LazyFont(PDDocument doc, TrueTypeFont ttf) {
            super(null);
            this.doc = doc;
            this.ttf = ttf;
        }

        @Override
        public PDFont supply() {
            if (font == null) {
                try {
                    font = PDType0Font.load(doc, ttf, true);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return font;
        }
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
