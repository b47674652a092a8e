package dev.archon.traceability.db;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A PostgreSQL connection target parsed from the libpq URI form operators already use with psql and pg_dump
 * ({@code postgresql://user:pass@host:port/db?sslmode=require}). Keeps the libpq form for the client tools and
 * derives the JDBC form for the pool; the password never appears in {@link #toString()}.
 */
public record PostgresUrl(String libpqUri, String jdbcUrl, String user, String password, String database) {

    /** libpq query parameters and the pgjdbc property each becomes. */
    private static final Map<String, String> LIBPQ_TO_JDBC = Map.ofEntries(
            Map.entry("sslmode", "sslmode"),
            Map.entry("sslrootcert", "sslrootcert"),
            Map.entry("sslcert", "sslcert"),
            Map.entry("sslkey", "sslkey"),
            Map.entry("sslpassword", "sslpassword"),
            Map.entry("application_name", "ApplicationName"),
            Map.entry("connect_timeout", "connectTimeout"),
            Map.entry("options", "options"),
            Map.entry("target_session_attrs", "targetServerType"),
            Map.entry("gssencmode", "gssEncMode"),
            Map.entry("channel_binding", "channelBinding"));

    public static PostgresUrl parse(String url) {
        String text = url.trim();
        String rest;
        if (text.startsWith("postgresql://")) {
            rest = text.substring("postgresql://".length());
        } else if (text.startsWith("postgres://")) {
            rest = text.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException("expected a libpq URI such as"
                    + " postgresql://user:password@host:5432/database?sslmode=require, got '" + redact(text) + "'");
        }

        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
            password = colon >= 0 ? decode(userInfo.substring(colon + 1)) : null;
        }
        String hosts = rest.isEmpty() ? "localhost" : rest;
        Map<String, String> params = parseQuery(query);
        if (user == null && params.containsKey("user")) {
            user = params.remove("user");
        } else {
            params.remove("user");
        }
        if (password == null && params.containsKey("password")) {
            password = params.remove("password");
        } else {
            params.remove("password");
        }
        if (user == null || user.isEmpty()) {
            user = System.getProperty("user.name");
        }
        // libpq's default database is the user's name.
        String database = path.isEmpty() ? user : decode(path);
        if (params.containsKey("dbname")) {
            database = params.remove("dbname");
        }

        StringJoiner jdbcParams = new StringJoiner("&", "?", "").setEmptyValue("");
        for (Map.Entry<String, String> p : params.entrySet()) {
            String jdbcKey = LIBPQ_TO_JDBC.get(p.getKey());
            if (jdbcKey == null) {
                throw new IllegalArgumentException("unsupported connection parameter '" + p.getKey()
                        + "'; supported: user, password, dbname, " + String.join(", ", LIBPQ_TO_JDBC.keySet()));
            }
            String value = jdbcKey.equals("targetServerType") ? targetServerType(p.getValue()) : p.getValue();
            jdbcParams.add(jdbcKey + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        String jdbc = "jdbc:postgresql://" + hosts + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8) + jdbcParams;
        return new PostgresUrl(text, jdbc, user, password, database);
    }

    private static String targetServerType(String libpq) {
        return switch (libpq) {
            case "read-write", "primary" -> "primary";
            case "read-only", "standby" -> "secondary";
            case "prefer-standby" -> "preferSecondary";
            case "any" -> "any";
            default -> throw new IllegalArgumentException("unsupported target_session_attrs '" + libpq + "'");
        };
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("connection parameter '" + pair + "' has no value");
            }
            params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The same server and credentials, another database. */
    public PostgresUrl withDatabase(String name) {
        String uri = libpqUri;
        int scheme = uri.indexOf("://") + 3;
        int query = uri.indexOf('?', scheme);
        int slash = uri.indexOf('/', scheme);
        // a dbname parameter would override the path: drop it, so the new name is the one that counts
        String tail = query >= 0 ? uri.substring(query).replaceAll("([?&])dbname=[^&]*&?", "$1")
                .replaceAll("[?&]$", "") : "";
        String head = slash >= 0 && (query < 0 || slash < query) ? uri.substring(0, slash)
                : query >= 0 ? uri.substring(0, query) : uri;
        return parse(head + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + tail);
    }

    /** The libpq URI without its password, for client tools that get the password from PGPASSWORD instead. */
    public String withoutPassword() {
        return libpqUri.replaceAll("(://[^:/@]*):[^@]*@", "$1@").replaceAll("(?i)([?&])password=[^&]*&?", "$1")
                .replaceAll("[?&]$", "");
    }

    /** The URL as it may appear in logs and error messages: any password replaced by ***. */
    public static String redact(String url) {
        return url.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return redact(libpqUri);
    }
}
