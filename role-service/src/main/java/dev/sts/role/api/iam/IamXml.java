package dev.sts.role.api.iam;

import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes one IAM Query response document (StAX, which escapes text and attribute values).
 * Responses are only ever written: no XML from a caller is parsed anywhere in this service.
 */
final class IamXml {
    /** The namespace of every IAM response (https://docs.aws.amazon.com/IAM/latest/APIReference/). */
    static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();
    private final StringWriter buffer = new StringWriter();
    private final XMLStreamWriter out;

    IamXml() {
        try {
            out = FACTORY.createXMLStreamWriter(buffer);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The response of a successful action: {@code <ActionResponse><ActionResult>...}, then its RequestId. */
    static String response(String action, String requestId, java.util.function.Consumer<IamXml> result) {
        IamXml x = new IamXml();
        x.declaration();
        x.startRoot(action + "Response");
        if (result != null) {
            x.start(action + "Result");
            result.accept(x);
            x.end();
        }
        x.start("ResponseMetadata");
        x.element("RequestId", requestId);
        x.end();
        x.end();
        return x.finish();
    }

    void start(String name) {
        run(() -> out.writeStartElement(name));
    }

    void end() {
        run(out::writeEndElement);
    }

    void element(String name, String text) {
        run(() -> {
            out.writeStartElement(name);
            out.writeCharacters(xmlChars(text));
            out.writeEndElement();
        });
    }

    /**
     * The text with every character XML 1.0 cannot carry (controls other than tab, LF and CR; lone
     * surrogates; U+FFFE and U+FFFF) replaced by U+FFFD, so that a value echoed in a message never
     * makes the document unreadable.
     */
    static String xmlChars(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (sb != null) {
                    sb.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            if (!ok && sb == null) {
                sb = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (sb != null) {
                sb.append(ok ? c : '\uFFFD');
            }
        }
        return sb == null ? text : sb.toString();
    }

    private void declaration() {
        run(() -> out.writeStartDocument("UTF-8", "1.0"));
    }

    private void startRoot(String name) {
        run(() -> {
            out.writeStartElement(name);
            out.writeDefaultNamespace(NAMESPACE);
        });
    }

    private String finish() {
        run(() -> {
            out.writeEndDocument();
            out.close();
        });
        return buffer.toString();
    }

    private interface XmlStep {
        void run() throws XMLStreamException;
    }

    private static void run(XmlStep step) {
        try {
            step.run();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("could not write the response", e);
        }
    }
}
