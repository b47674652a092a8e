package dev.archon.traceability.lineage;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads of the lineage graph that need logic around their SQL; reads that are one query are routes
 * (routes/lineage-api.yaml).
 */
public final class LineageQueries {

    private final DataSource dataSource;

    public LineageQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Checks that the pattern exists and that the node is one of its versions: 404 INVALID_PATTERN_ID for an
     * unknown pattern, 404 INVALID_NODE_ID for an unknown node or a node of another pattern (saying which).
     */
    public void requireNodeOfPattern(UUID patternId, UUID nodeId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT EXISTS (SELECT 1 FROM lineage_nodes WHERE pattern_id = ?),
                            (SELECT pattern_id FROM lineage_nodes WHERE node_id = ?)""")) {
            ps.setObject(1, patternId);
            ps.setObject(2, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw unknownPattern(patternId);
                }
                UUID owner = rs.getObject(2, UUID.class);
                if (owner == null) {
                    throw new ProblemException(Problem.notFound(ErrorCode.INVALID_NODE_ID, "node_id",
                            "no node " + nodeId));
                }
                if (!owner.equals(patternId)) {
                    throw new ProblemException(Problem.notFound(ErrorCode.INVALID_NODE_ID, "node_id", "node "
                            + nodeId + " is a version of pattern " + owner + ", not of " + patternId));
                }
            }
        }
    }

    static ProblemException unknownPattern(UUID patternId) {
        return new ProblemException(Problem.notFound(ErrorCode.INVALID_PATTERN_ID, "pattern_id",
                "no pattern " + patternId));
    }
}
