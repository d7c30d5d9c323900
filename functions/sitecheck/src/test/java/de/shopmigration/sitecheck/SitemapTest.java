package de.shopmigration.sitecheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SitemapTest {

    static final Set<String> HOSTS = Set.of("shop.example", "www.shop.example");

    @Test
    void thePagesOnTheShopsOwnHostsOverHttpsInOrder() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <url><loc>https://shop.example/</loc></url>
                  <url><loc> https://shop.example/kategorie/schuhe </loc><lastmod>2026-11-01</lastmod></url>
                  <url><loc>https://WWW.shop.example/produkt/1</loc></url>
                  <url><loc>http://shop.example/unsicher</loc></url>
                  <url><loc>https://cdn.elsewhere.example/x</loc></url>
                  <url><loc>https://shop.example:8443/admin</loc></url>
                  <url><loc>not a url at all</loc></url>
                  <url><loc>https://shop.example/</loc></url>
                </urlset>""";
        assertThat(Sitemap.pages(xml, HOSTS, 20)).containsExactly(URI.create("https://shop.example/"),
                URI.create("https://shop.example/kategorie/schuhe"), URI.create("https://WWW.shop.example/produkt/1"));
        assertThat(Sitemap.pages(xml, HOSTS, 2)).hasSize(2);
    }

    @Test
    void anIndexListsSitemapsNotPages() {
        String xml = """
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <sitemap><loc>https://shop.example/sitemap-1.xml</loc></sitemap>
                </sitemapindex>""";
        assertThat(Sitemap.pages(xml, HOSTS, 20)).isEmpty();
        assertThat(Sitemap.indexEntries(xml, HOSTS, 20)).containsExactly(URI.create("https://shop.example/sitemap-1.xml"));
    }

    @Test
    void aDoctypeOrEntityIsRefusedAndBrokenXmlGivesNothing() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://shop.example/&x;</loc></url></urlset>""";
        assertThat(Sitemap.pages(xxe, HOSTS, 20)).isEmpty();
        assertThat(Sitemap.pages("<urlset><url><loc>https://shop.example/", HOSTS, 20)).isEmpty();
        assertThat(Sitemap.pages("", HOSTS, 20)).isEmpty();
    }
}
