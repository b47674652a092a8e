package dev.archon.traceability.config;

import dev.archon.traceability.executions.ExecutionLog;
import java.time.Clock;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** The read side of the execution records: the rules of the execution log (page sizes, summary window). */
public final class ExecutionsConfiguration implements CamelConfiguration {

    @BindToRegistry
    public ExecutionLog executionLog(Settings settings, Clock clock) {
        return new ExecutionLog(clock, settings.integer("traceability.executions.page.default-limit"),
                settings.integer("traceability.executions.page.max-limit"),
                settings.duration("traceability.executions.summary.default-window"),
                settings.integer("traceability.executions.summary.max-groups"));
    }
}
