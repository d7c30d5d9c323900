package de.shopmigration.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver. It starts both itself and
 * stops them at the end: the driver session, the driver service, and then, by PID, any browser
 * process still running below this JVM.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Repo.root().resolve("infra/local/target/screenshots");

    private final ChromeDriverService service;
    final WebDriver driver;
    private final String prefix;
    private final Path profile;
    private int shots;

    /** @param prefix names this test's screenshots, so tests do not overwrite each other's */
    Browser(String prefix) throws IOException {
        this.prefix = prefix;
        File chromedriver = new File(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
        File chromium = new File(System.getenv().getOrDefault("CHROMIUM", "/usr/lib/chromium/chromium"));
        if (!chromedriver.canExecute() || !chromium.canExecute()) {
            throw new IllegalStateException("Browser tests need Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver); not found: " + chromium + ", " + chromedriver);
        }
        service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort().build();
        service.start();
        profile = Files.createTempDirectory("chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1000,900", "--lang=de-DE");
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    void open(String url) {
        driver.get(url);
    }

    /** Opens an email's HTML as a mail client shows it, from a file under target/. */
    void openEmail(Mailbox.Mail mail, String name) throws IOException {
        Path file = SCREENSHOTS.resolve(prefix + "-" + name + ".html");
        Files.writeString(file, mail.html());
        driver.get(file.toUri().toString());
    }

    /** Follows a link and waits until the next page is there. */
    void click(String linkText) {
        WebElement html = driver.findElement(By.tagName("html"));
        driver.findElement(By.linkText(linkText)).click();
        awaitNewPage(html);
    }

    WebElement field(String name) {
        return driver.findElement(By.name(name));
    }

    void type(String name, String text) {
        WebElement f = field(name);
        f.clear();
        f.sendKeys(text);
    }

    void select(String name, String value) {
        new org.openqa.selenium.support.ui.Select(field(name)).selectByValue(value);
    }

    /**
     * Whether an element's page has been replaced. Chromium answers "stale element" or, for a
     * node of a document that is gone, "Node ... does not belong to the document": both mean gone.
     */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /** Sends the form and waits until the answer page has replaced it. */
    void submit() {
        WebElement form = driver.findElement(By.tagName("form"));
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        awaitNewPage(form);
    }

    /** Until the old page's element is gone and the new document has finished loading. */
    private void awaitNewPage(WebElement old) {
        org.openqa.selenium.support.ui.WebDriverWait wait = new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(d -> gone(old));
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    String title() {
        return driver.findElement(By.tagName("h1")).getText();
    }

    /** The message shown under a field, or null; read in one script run, so no element goes stale in between. */
    String errorOf(String name) {
        return (String) ((JavascriptExecutor) driver).executeScript(
                "const f = document.querySelector('[name=\"' + arguments[0] + '\"]');"
                        + "const m = f && f.parentElement.querySelector('.msg');"
                        + "return m ? m.textContent.trim() : null;", name);
    }

    /** A field's current value, read in one script run. */
    String valueOf(String name) {
        return (String) ((JavascriptExecutor) driver).executeScript(
                "return document.querySelector('[name=\"' + arguments[0] + '\"]').value;", name);
    }

    /** The visible text of the main content, read in one script run. */
    String mainText() {
        return (String) ((JavascriptExecutor) driver).executeScript("return document.querySelector('main').innerText;");
    }

    boolean alertShown() {
        try {
            driver.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }

    /** How far the page scrolls sideways in a window this wide (0: it fits); the window stays that wide. */
    long overflowAt(int width) {
        driver.manage().window().setSize(new Dimension(width, 800));
        return (Long) ((JavascriptExecutor) driver).executeScript(
                "return Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)");
    }

    /** A full-page screenshot under target/screenshots, numbered in the order taken. */
    Path screenshot(String name) throws IOException {
        return screenshot(name, 1000);
    }

    Path screenshot(String name, int width) throws IOException {
        long height = (Long) ((JavascriptExecutor) driver).executeScript(
                "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(width, (int) Math.min(Math.max(height + 40, 600), 6000)));
        Path file = SCREENSHOTS.resolve(String.format("%s-%02d-%s.png", prefix, ++shots, name));
        Files.write(file, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(new Dimension(1000, 900));
        return file;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            // Whatever of this browser survived, found by its own profile directory (other tests run browsers too).
            ProcessHandle.current().descendants()
                    .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(profile.toString())).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }
}
