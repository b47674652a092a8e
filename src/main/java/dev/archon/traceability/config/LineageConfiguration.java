package dev.archon.traceability.config;

import dev.archon.traceability.db.Database;
import dev.archon.traceability.lineage.LineageQueries;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** The read side of the lineage graph. */
public final class LineageConfiguration implements CamelConfiguration {

    @BindToRegistry
    public LineageQueries lineageQueries(Database database) {
        return new LineageQueries(database.dataSource());
    }
}
