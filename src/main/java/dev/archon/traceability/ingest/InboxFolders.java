package dev.archon.traceability.ingest;

import dev.archon.traceability.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an inbox file goes when it is through: {@code .done/} or {@code .error/} beside it. A file keeps its name
 * unless a file of that name is there already (then it gets the clock's millis as a suffix): nothing is overwritten.
 */
final class InboxFolders {

    private final Clock clock;

    InboxFolders(Clock clock) {
        this.clock = clock;
    }

    /** {@code .error/} beside the file: where it goes if it cannot be read, and where its reports go. */
    static Path errorDir(Path file) {
        return file.resolveSibling(".error");
    }

    /** Moves the file to {@code .done/}; returns where it is now. */
    Path toDone(Path file) throws IOException {
        return moveTo(file, file.resolveSibling(".done"));
    }

    /**
     * Moves a file that cannot be read to {@code .error/} and writes {@code <file>.errors.json} beside it, saying
     * why; returns where the file is now.
     */
    Path toError(Path file, String reason) throws IOException {
        Path errorDir = errorDir(file);
        Path moved = moveTo(file, errorDir);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", file.getFileName().toString());
        report.put("moved_to", moved.getFileName().toString());
        report.put("status", "unreadable");
        report.put("reason", reason);
        report.put("at", clock.instant().toString());
        // written under a dot-name first, so a reader never sees half a report
        Path tmp = errorDir.resolve("." + moved.getFileName() + ".errors.json.tmp");
        Files.write(tmp, Json.bytes(report));
        Files.move(tmp, errorDir.resolve(moved.getFileName() + ".errors.json"), StandardCopyOption.ATOMIC_MOVE);
        return moved;
    }

    /** Moves {@code file} into {@code dir}, keeping its name unless a file of that name is there already. */
    private Path moveTo(Path file, Path dir) throws IOException {
        Files.createDirectories(dir);
        String name = file.getFileName().toString();
        Path target = dir.resolve(name);
        if (Files.exists(target)) {
            target = dir.resolve(name + "." + clock.millis());
        }
        return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
