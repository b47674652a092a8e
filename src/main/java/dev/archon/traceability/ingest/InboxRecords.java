package dev.archon.traceability.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.archon.traceability.json.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The records of an inbox file, read as a stream so memory stays flat whatever the file's size: NDJSON
 * ({@code .ndjson}, {@code .jsonl}: one record per line) or JSON ({@code .json}: one object or an array of them).
 */
abstract sealed class InboxRecords implements AutoCloseable {

    /**
     * One record of a file: its position (line number of an NDJSON record, 1-based index of an array element: a
     * JSON array often sits on one line), the line where it starts, its raw text, and its JSON or why it did not
     * parse.
     */
    record Record(long position, long line, String raw, JsonNode json, String failure) {
    }

    /** The file as a whole cannot be read. */
    static final class UnreadableFileException extends IOException {
        UnreadableFileException(String message) {
            super(message);
        }
    }

    /** The reader for the file's format; lines longer than {@code maxLineBytes} are records that failed. */
    static InboxRecords open(Path file, int maxLineBytes) throws IOException {
        return isWholeJson(file) ? new JsonRecords(file) : new LineRecords(file, maxLineBytes);
    }

    /**
     * SHA-256 of the content; for a .json file also checks, in the same pass, that it is well-formed JSON.
     *
     * @throws UnreadableFileException if the file cannot be read, or is a .json file that is not well-formed
     */
    static String checkReadable(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                digest)) {
            if (isWholeJson(file)) {
                try (JsonParser p = Json.mapper().getFactory().createParser(in)) {
                    JsonToken first = p.nextToken();
                    if (first != JsonToken.START_ARRAY && first != JsonToken.START_OBJECT) {
                        throw new UnreadableFileException("a .json file must hold one JSON object or an array of"
                                + " them" + (first == null ? "; the file is empty" : ", found " + first));
                    }
                    p.skipChildren();
                    if (p.nextToken() != null) {
                        throw new UnreadableFileException("content after the JSON value at line "
                                + p.currentLocation().getLineNr() + "; for one record per line use .ndjson");
                    }
                } catch (JsonProcessingException e) {
                    throw new UnreadableFileException(Json.describe(e));
                }
            } else {
                in.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            if (e instanceof UnreadableFileException) {
                throw e;
            }
            throw new UnreadableFileException("cannot read the file: " + e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static boolean isWholeJson(Path file) {
        return file.getFileName().toString().endsWith(".json");
    }

    /** The next record, or null at the end of the file. */
    abstract Record next() throws IOException;

    @Override
    public abstract void close() throws IOException;

    /** NDJSON: one record per line, read with a bounded line length; blank lines are skipped. */
    private static final class LineRecords extends InboxRecords {
        private final InputStream in;
        private final int maxLineBytes;
        private long lineNumber;
        private byte[] buf = new byte[8192];

        LineRecords(Path file, int maxLineBytes) throws IOException {
            this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            this.maxLineBytes = maxLineBytes;
        }

        @Override
        Record next() throws IOException {
            while (true) {
                int len = 0;
                boolean tooLong = false;
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    if (len < maxLineBytes) {
                        if (len == buf.length) {
                            buf = Arrays.copyOf(buf, Math.min(maxLineBytes, buf.length * 2));
                        }
                        buf[len++] = (byte) b;
                    } else {
                        tooLong = true;
                    }
                }
                if (b < 0 && len == 0) {
                    return null;
                }
                lineNumber++;
                if (len > 0 && buf[len - 1] == '\r') {
                    len--;
                }
                String raw = new String(buf, 0, len, StandardCharsets.UTF_8);
                if (tooLong) {
                    return new Record(lineNumber, lineNumber, raw, null, "line longer than " + maxLineBytes
                            + " bytes; only its first " + maxLineBytes + " bytes are kept in the rejects file");
                }
                if (raw.isBlank()) {
                    continue;
                }
                try {
                    return new Record(lineNumber, lineNumber, raw, Json.mapper().readTree(raw), null);
                } catch (JsonProcessingException e) {
                    return new Record(lineNumber, lineNumber, raw, null, Json.describe(e, lineNumber));
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A .json file (already checked well-formed): its one object, or each element of its array. */
    private static final class JsonRecords extends InboxRecords {
        /** Reads one element and stops: the rest of the array is not "trailing content". */
        private static final ObjectReader ELEMENT_READER = Json.mapper().reader()
                .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        private final JsonParser parser;
        private final boolean array;
        private boolean single;
        private long index;

        JsonRecords(Path file) throws IOException {
            parser = Json.mapper().getFactory().createParser(Files.newInputStream(file));
            array = parser.nextToken() == JsonToken.START_ARRAY;
            single = !array;
        }

        @Override
        Record next() throws IOException {
            if (array && parser.nextToken() == JsonToken.END_ARRAY) {
                return null;
            }
            if (!array) {
                if (!single) {
                    return null;
                }
                single = false;
            }
            long line = parser.currentTokenLocation().getLineNr();
            JsonNode node = ELEMENT_READER.readTree(parser);
            return new Record(++index, line, node.toString(), node, null);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
