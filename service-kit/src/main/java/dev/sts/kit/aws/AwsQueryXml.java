package dev.sts.kit.aws;

import dev.sts.kit.error.StsException;
import java.io.StringWriter;
import java.util.function.Consumer;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes Query protocol responses: {@code <ActionResponse xmlns=namespace><ActionResult>...</ActionResult>
 * <ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>} and {@code ErrorResponse}.
 * Responses are only written here (with the JDK's StAX writer, which escapes text); no XML from a
 * caller is ever parsed, so there is no parser to feed external entities to.
 */
public final class AwsQueryXml {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private AwsQueryXml() {
    }

    /** The children of an element. */
    public interface Body {
        /** {@code <name>value</name>}; nothing when {@code value} is {@code null}. */
        Body text(String name, String value);

        /** {@code <name>...</name>} with the children {@code content} writes. */
        Body element(String name, Consumer<Body> content);
    }

    /**
     * A successful response of {@code action}.
     *
     * @param result writes the children of {@code <ActionResult>}; {@code null} for actions whose
     *     response has no result element (IAM's DeleteRole, for example)
     */
    public static String response(String action, String namespace, String requestId, Consumer<Body> result) {
        return write(w -> {
            w.writeStartElement(action + "Response");
            w.writeDefaultNamespace(namespace);
            if (result != null) {
                w.writeStartElement(action + "Result");
                result.accept(body(w));
                w.writeEndElement();
            }
            w.writeStartElement("ResponseMetadata");
            leaf(w, "RequestId", requestId);
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    /** The Query protocol's error document, as STS and IAM send it. */
    public static String error(String namespace, StsException e, String requestId) {
        return write(w -> {
            w.writeStartElement("ErrorResponse");
            w.writeDefaultNamespace(namespace);
            w.writeStartElement("Error");
            leaf(w, "Type", AwsErrors.faultType(e.code()));
            leaf(w, "Code", e.code().awsCode());
            leaf(w, "Message", e.getMessage() == null ? "" : e.getMessage());
            w.writeEndElement();
            leaf(w, "RequestId", requestId);
            w.writeEndElement();
        });
    }

    private interface Writing {
        void accept(XMLStreamWriter w) throws XMLStreamException;
    }

    private static String write(Writing writing) {
        StringWriter out = new StringWriter(512);
        try {
            XMLStreamWriter w = FACTORY.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            writing.accept(w);
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write a response document", e);
        } catch (UncheckedXml e) {
            throw new IllegalStateException("cannot write a response document", e.getCause());
        }
        return out.toString();
    }

    private static Body body(XMLStreamWriter w) {
        return new Body() {
            @Override
            public Body text(String name, String value) {
                if (value != null) {
                    try {
                        leaf(w, name, value);
                    } catch (XMLStreamException e) {
                        throw new UncheckedXml(e);
                    }
                }
                return this;
            }

            @Override
            public Body element(String name, Consumer<Body> content) {
                try {
                    w.writeStartElement(name);
                    content.accept(this);
                    w.writeEndElement();
                } catch (XMLStreamException e) {
                    throw new UncheckedXml(e);
                }
                return this;
            }
        };
    }

    private static void leaf(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(xmlSafe(value));
        w.writeEndElement();
    }

    /**
     * Characters XML 1.0 cannot carry (controls other than tab, line feed and carriage return,
     * unpaired surrogates) replaced with U+FFFD, so that every document written is well-formed.
     */
    static String xmlSafe(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (ok) {
                    if (b != null) {
                        b.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else if (Character.isLowSurrogate(c)) {
                ok = false;
            } else {
                ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
            }
            if (!ok && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(ok ? c : '\uFFFD');
            }
        }
        return b == null ? s : b.toString();
    }

    private static final class UncheckedXml extends RuntimeException {
        UncheckedXml(XMLStreamException cause) {
            super(cause);
        }
    }
}
