package dev.archon.traceability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The route files to load, named one by one in name order: ./routes/*.yaml when that folder exists (operators may edit
 * them), otherwise the copies in the jar. The HTTP router tries paths in the order the routes declare them
 * (/api/lineage/health before /api/lineage/{pattern_id}), and neither a folder listing nor a jar's entries come in
 * a fixed order: with a wildcard the packaged jar answered /api/lineage/health with 400 (not a pattern id).
 */
final class RouteFiles {

    private static final String DIR = "routes";

    private RouteFiles() {
    }

    /** Camel Main's routesIncludePattern: {@code file:routes/a.yaml,file:routes/b.yaml,...} or {@code classpath:...}. */
    static String includePattern() {
        try {
            Path dir = Path.of(DIR);
            if (Files.isDirectory(dir)) {
                return join("file:", names(dir));
            }
            URL url = RouteFiles.class.getClassLoader().getResource(DIR);
            if (url == null) {
                throw new IllegalStateException("no routes: neither ./routes nor routes/ in the jar");
            }
            if (url.openConnection() instanceof JarURLConnection jar) {
                jar.setUseCaches(false); // a JarFile of our own to close, not the one later jar: URLs share
                try (JarFile file = jar.getJarFile()) {
                    return join("classpath:", file.stream().map(e -> e.getName())
                            .filter(n -> n.startsWith(DIR + "/") && n.indexOf('/', DIR.length() + 1) < 0)
                            .map(n -> n.substring(DIR.length() + 1)).filter(RouteFiles::isRoute).sorted().toList());
                }
            }
            return join("classpath:", names(Path.of(url.toURI())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the route files", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the route files", e);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(RouteFiles::isRoute).sorted().toList();
        }
    }

    private static boolean isRoute(String name) {
        return name.endsWith(".yaml") && !name.startsWith(".");
    }

    private static String join(String scheme, List<String> names) {
        return names.stream().map(n -> scheme + DIR + "/" + n).collect(Collectors.joining(","));
    }
}
