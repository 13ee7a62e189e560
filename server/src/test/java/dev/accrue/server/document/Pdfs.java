package dev.accrue.server.document;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reading rendered PDFs back with PDFBox: their text, page count and fonts. */
final class Pdfs {
    private Pdfs() {
    }

    record Read(String text, int pages, List<String> fonts, boolean allEmbedded, List<String> pageTexts) {
        /** The text with all whitespace removed, for values a layout may wrap over lines. */
        String compact() {
            return text.replaceAll("\\s+", "");
        }
    }

    static Read read(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            List<String> fonts = new ArrayList<>();
            boolean embedded = true;
            for (PDPage page : doc.getPages()) {
                for (var name : page.getResources().getFontNames()) {
                    PDFont f = page.getResources().getFont(name);
                    fonts.add(f.getName());
                    embedded &= f.isEmbedded();
                }
            }
            List<String> pageTexts = new ArrayList<>();
            for (int p = 1; p <= doc.getNumberOfPages(); p++) {
                PDFTextStripper one = new PDFTextStripper();
                one.setStartPage(p);
                one.setEndPage(p);
                pageTexts.add(one.getText(doc));
            }
            return new Read(text, doc.getNumberOfPages(), fonts, embedded, pageTexts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
