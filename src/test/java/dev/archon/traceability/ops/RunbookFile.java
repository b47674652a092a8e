package dev.archon.traceability.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * ops/RUNBOOK.md as the tests read it: its headings (as the anchors GitHub makes of them) and its code blocks fenced
 * as {@code ```bash runnable}, each with the heading it stands under and its line.
 */
record RunbookFile(List<String> lines) {

    static final Path PATH = Path.of("ops/RUNBOOK.md");
    static final String RUNNABLE_FENCE = "```bash runnable";

    /** A runnable block: the text between its fences, the heading above it, the line of its opening fence. */
    record Block(String heading, int line, String code) {
        @Override
        public String toString() {
            return "ops/RUNBOOK.md:" + line + " (" + heading + ")";
        }
    }

    static RunbookFile read() throws IOException {
        return new RunbookFile(Files.readAllLines(PATH));
    }

    List<Block> runnableBlocks() {
        List<Block> blocks = new ArrayList<>();
        String heading = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                boolean runnable = line.strip().equals(RUNNABLE_FENCE);
                int start = i;
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                if (runnable) {
                    blocks.add(new Block(heading, start + 1, code.toString()));
                }
            } else if (line.startsWith("#")) {
                heading = line.replaceFirst("^#+\\s*", "");
            }
        }
        return blocks;
    }

    /** The anchors of the headings outside code blocks, as GitHub makes them (lower case, punctuation dropped). */
    Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        boolean inCode = false;
        for (String line : lines) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    String text() {
        return String.join("\n", lines);
    }
}
