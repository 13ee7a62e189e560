package dev.accrue.adapters.einvoice;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The CII-to-UBL converter Mustang uses (phax en16931-cii2ubl) writes a credit note's preceding invoice (CII
 * {@code InvoiceReferencedDocument}, BT-25) as {@code BillingReference/CreditNoteDocumentReference}, which EN 16931
 * rejects (BR-55, UBL-SR-07: a preceding invoice is an {@code InvoiceDocumentReference}). This renames that one element
 * and changes nothing else; {@code CreditNoteDocumentTest} validates the result with Mustang's validator.
 */
final class UblCreditNotes {
    private static final String CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";

    private UblCreditNotes() {
    }

    static String invoiceReference(String ubl) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(ubl)));
            NodeList found = doc.getElementsByTagNameNS(CAC, "CreditNoteDocumentReference");
            List<Element> refs = new ArrayList<>();
            for (int i = 0; i < found.getLength(); i++) {
                Element e = (Element) found.item(i);
                if (e.getParentNode() instanceof Element parent && CAC.equals(parent.getNamespaceURI()) && "BillingReference".equals(parent.getLocalName())) {
                    refs.add(e);
                }
            }
            if (refs.isEmpty()) {
                return ubl;
            }
            for (Element e : refs) {
                String prefix = e.getPrefix();
                doc.renameNode(e, CAC, (prefix == null ? "" : prefix + ":") + "InvoiceDocumentReference");
            }
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter(ubl.length());
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (ParserConfigurationException | SAXException | IOException | TransformerException e) {
            throw new IllegalStateException("The UBL credit note could not be read back", e);
        }
    }
}
