package de.shopmigration.sitecheck;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The page URLs of a shop's sitemap (sitemaps.org: {@code <urlset><url><loc>}), in their order,
 * only those on the shop's own host names and over HTTPS, at most a given number. The sitemap
 * comes from the customer's server, so it is read as untrusted XML: no DTD, no external entities.
 * A sitemap index ({@code <sitemapindex>}) lists further sitemaps, not pages; its entries are
 * returned by {@link #indexEntries}.
 */
public final class Sitemap {

    private Sitemap() {
    }

    public static List<URI> pages(String xml, Set<String> hosts, int most) {
        return locs(xml, "url", hosts, most);
    }

    public static List<URI> indexEntries(String xml, Set<String> hosts, int most) {
        return locs(xml, "sitemap", hosts, most);
    }

    private static List<URI> locs(String xml, String parent, Set<String> hosts, int most) {
        Document doc = parse(xml);
        if (doc == null) {
            return List.of();
        }
        Set<String> allowed = new LinkedHashSet<>();
        hosts.forEach(h -> allowed.add(h.toLowerCase(Locale.ROOT)));
        NodeList locs = doc.getElementsByTagNameNS("*", "loc");
        Set<URI> found = new LinkedHashSet<>();
        for (int i = 0; i < locs.getLength() && found.size() < most; i++) {
            if (locs.item(i).getParentNode() == null || !parent.equals(locs.item(i).getParentNode().getLocalName())) {
                continue;
            }
            try {
                URI uri = URI.create(locs.item(i).getTextContent().strip());
                if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                        && allowed.contains(uri.getHost().toLowerCase(Locale.ROOT)) && uri.getPort() == -1 && uri.getRawUserInfo() == null) {
                    found.add(uri);
                }
            } catch (IllegalArgumentException e) {
                // Not a URL: the sitemap is the customer's; one bad entry does not spoil the rest.
            }
        }
        return new ArrayList<>(found);
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            return null;
        }
    }
}
