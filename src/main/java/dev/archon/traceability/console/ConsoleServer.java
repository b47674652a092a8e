package dev.archon.traceability.console;

import dev.archon.traceability.http.AdminAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hawtio console on a port of its own: Hawtio's web application (unpacked from its war at build time into
 * {@code hawtio-webapp/} on the class path, without its own Jolokia) on an embedded Jetty 12, with Jolokia at
 * {@code /hawtio/jolokia} over this JVM's MBeans (Camel's context and routes, Quartz's scheduler), restricted by
 * {@link JolokiaPolicy}, and every request passing {@link ConsoleAccess} first.
 */
public final class ConsoleServer implements AutoCloseable {

    public static final String CONTEXT_PATH = "/hawtio";
    /** Where the build unpacks Hawtio's war (pom.xml, maven-dependency-plugin). */
    static final String WEBAPP = "hawtio-webapp";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    // one operator's browser at a time needs a handful of threads: Jetty's default of 200 would be idle weight
    private static final int MAX_THREADS = 16;

    private final Server server;
    private final ServerConnector connector;
    private final Path scratch;

    private ConsoleServer(Server server, ServerConnector connector, Path scratch) {
        this.server = server;
        this.connector = connector;
        this.scratch = scratch;
    }

    /** Starts the console on {@code host:port} (0 = any free port) behind {@code access}. */
    public static ConsoleServer start(String host, int port, AdminAccess access) throws Exception {
        long started = System.nanoTime();
        // Hawtio reads its configuration from system properties only. Its own login (JAAS) is off because
        // ConsoleAccess authenticates every request, and its proxy to other JVMs is closed: the console manages
        // this service only.
        System.setProperty("hawtio.authenticationEnabled", "false");
        System.setProperty("hawtio.disableProxy", "true");

        Path scratch = Files.createTempDirectory("traceability-console-");
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("console");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        WebAppContext hawtio = new WebAppContext();
        hawtio.setContextPath(CONTEXT_PATH);
        hawtio.setTempDirectory(Files.createDirectory(scratch.resolve("jetty")).toFile());
        hawtio.setThrowUnavailableOnStartupException(true);
        hawtio.setInitParameter("org.eclipse.jetty.servlet.Default.dirAllowed", "false");
        // Jolokia (Camel's 2.5, from the service's class path) reads context parameters too: our restrictor
        hawtio.setInitParameter("restrictorClass", JolokiaPolicy.class.getName());
        hawtio.addOverrideDescriptor(ConsoleServer.class.getResource("hawtio-override-web.xml").toExternalForm());
        server.setHandler(new ConsoleAccess(access, hawtio));
        server.setStopTimeout(2000);
        try {
            hawtio.setBaseResourceAsPath(webapp(scratch));
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            delete(scratch);
            if (e.getCause() instanceof BindException) {
                throw new IOException("The console cannot listen on " + host + ":" + port + " (" + e.getMessage()
                        + "); set traceability.console.port (TRACEABILITY_CONSOLE_PORT) or switch the console off"
                        + " with TRACEABILITY_CONSOLE_ENABLED=false", e);
            }
            throw e;
        }
        ConsoleServer console = new ConsoleServer(server, connector, scratch);
        LOG.info("Hawtio console on http://{}:{}{}/ ({}; started in {} ms)", host, console.port(), CONTEXT_PATH,
                access.acceptsLogin() ? "TRACEABILITY_ADMIN_TOKEN or the console login required"
                        : "loopback clients only", (System.nanoTime() - started) / 1_000_000);
        return console;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /**
     * The web application's folder: the class path's own when it is a folder (tests, IDE), otherwise a copy out of
     * the jar, because Jetty's web application class loader cannot open the jars in WEB-INF/lib inside another jar.
     */
    static Path webapp(Path scratch) throws IOException {
        URL descriptor = ConsoleServer.class.getClassLoader().getResource(WEBAPP + "/WEB-INF/web.xml");
        if (descriptor == null) {
            throw new IllegalStateException("Hawtio is missing from the class path (" + WEBAPP + "/): build with"
                    + " ./mvnw package, which unpacks it, or switch the console off (TRACEABILITY_CONSOLE_ENABLED=false)");
        }
        try {
            if ("file".equals(descriptor.getProtocol())) {
                return Path.of(descriptor.toURI()).getParent().getParent();
            }
            JarURLConnection connection = (JarURLConnection) descriptor.openConnection();
            connection.setUseCaches(false);
            Path target = scratch.resolve(WEBAPP);
            try (JarFile jar = new JarFile(Path.of(connection.getJarFileURL().toURI()).toFile())) {
                copyOut(jar, target);
            }
            return target;
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate " + descriptor + ": " + e.getMessage(), e);
        }
    }

    private static void copyOut(JarFile jar, Path target) throws IOException {
        String prefix = WEBAPP + "/";
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
            JarEntry entry = entries.nextElement();
            if (!entry.getName().startsWith(prefix) || entry.isDirectory()) {
                continue;
            }
            Path file = target.resolve(entry.getName().substring(prefix.length())).normalize();
            if (!file.startsWith(target)) {
                throw new IOException("unexpected entry in the jar: " + entry.getName());
            }
            Files.createDirectories(file.getParent());
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, file);
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            delete(scratch);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Console: could not delete its scratch folder {}: {}", dir, e.getMessage());
        }
    }
}
