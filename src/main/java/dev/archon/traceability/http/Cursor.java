package dev.archon.traceability.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.apache.camel.Message;

/**
 * A keyset-pagination cursor: the (time, id) of the last row of a page, handed to the client as an opaque string
 * ({@code next_cursor}) and taken back as {@code ?after=}. The next page starts strictly after it in the endpoint's
 * order (newest first), so no row is lost or repeated while rows are inserted.
 */
record Cursor(Instant at, UUID id) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((at + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code after} parameter, or null when absent; 400 naming it when it is not a cursor this service made. */
    static Cursor after(Message in) {
        String v = Params.string(in, "after");
        if (v == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(v), StandardCharsets.UTF_8).split("\\|");
            return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw Params.invalid("after", "not a cursor of this endpoint: pass the next_cursor of the previous page");
        }
    }
}
